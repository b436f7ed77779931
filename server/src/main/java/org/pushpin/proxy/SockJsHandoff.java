package org.pushpin.proxy;

/**
 * The seam to the SockJS endpoint (a layer above, plugged in by the composition root with
 * {@link ProxyContext#sockJs}): a request or WebSocket upgrade whose path starts with its route's {@code sockjs=}
 * path is handed over whole instead of proxied. The endpoint answers it, or turns it into a session that reaches
 * the origin as a WebSocket client would ({@link SockJsExchange#bridge}, {@link SockJsUpgrade#bridge}).
 */
public interface SockJsHandoff {
    /** An HTTP request under the SockJS path, its body read; called on its connection's loop. */
    void request(SockJsExchange exchange);

    /** A WebSocket upgrade under the SockJS path; called on its connection's loop. */
    void upgrade(SockJsUpgrade upgrade);
}
