package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpContent;

/**
 * What a client connection runs for its current request: a proxied one ({@link ProxyExchange}) or one a SockJS
 * endpoint answers ({@link SockJsExchange}). Every method is called on the connection's loop.
 */
interface Exchange {
    void start();

    /** A part of the request body (ownership passes). */
    void onClientContent(HttpContent content);

    /** The body cannot be framed; true when the exchange dealt with it (the connection is then closed). */
    boolean abortForBadBody();

    void onClientWritabilityChanged(boolean writable);

    void onClientClosed();
}
