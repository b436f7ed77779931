package org.pushpin.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request in Pushpin's shape: {@code GET http://h/path -> 127.0.0.1:8391 code=200 17}. */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("proxy");

    private RequestLog() {
    }

    /** Whether request lines are logged at all: the caller need not gather what {@link #log} prints otherwise. */
    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    /**
     * @param target    the target's address, or null when none was tried
     * @param clientIp  printed as {@code from=} when not null ({@code log_from})
     * @param routeId   the route's id, or null
     * @param suffix    what the request came to when not a plain answer ({@code error}, {@code accept},
     *                  {@code retry}), or null
     * @param userAgent printed as {@code ua=} when not null ({@code log_user_agent})
     */
    static void log(String method, String url, String target, String clientIp, String routeId, int status,
                    long bytes, String suffix, String userAgent) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(128).append(method).append(' ').append(url);
        if (target != null) {
            line.append(" -> ").append(target);
        }
        if (clientIp != null) {
            line.append(" from=").append(clientIp);
        }
        if (routeId != null) {
            line.append(" route=").append(routeId);
        }
        line.append(" code=").append(status).append(' ').append(bytes);
        if (suffix != null) {
            line.append(' ').append(suffix);
        }
        if (userAgent != null) {
            line.append(" ua=").append(userAgent);
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
