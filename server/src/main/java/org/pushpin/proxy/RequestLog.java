package org.pushpin.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request in Pushpin's shape: {@code GET http://h/path -> 127.0.0.1:8391 code=200 17}. */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("proxy");

    private RequestLog() {
    }

    static void log(ProxyExchange exchange, int status, long bytes, String suffix) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(128)
                .append(exchange.request.method().name()).append(' ').append(exchange.info.url());
        if (exchange.target() != null) {
            line.append(" -> ").append(exchange.target().address());
        }
        var proxy = exchange.context().config().proxy();
        if (proxy.logFrom() && exchange.info.clientIp() != null) {
            line.append(" from=").append(exchange.info.clientIp());
        }
        if (exchange.route.id() != null) {
            line.append(" route=").append(exchange.route.id());
        }
        line.append(" code=").append(status).append(' ').append(bytes);
        if (suffix != null) {
            line.append(' ').append(suffix);
        }
        if (proxy.logUserAgent()) {
            String ua = exchange.request.headers().get("User-Agent");
            if (ua != null) {
                line.append(" ua=").append(ua);
            }
        }
        LOG.info(line.toString());
    }

    /** A request that never reached routing (no route, bad request). */
    static void logUnrouted(String method, String url, int status, long bytes) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} code={} {}", method, url, status, bytes);
        }
    }

    static void warn(String message) {
        LOG.warn(message);
    }

    static void debug(String message, Throwable cause) {
        LOG.debug(message, cause);
    }
}
