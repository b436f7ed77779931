package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What is removed from origin response headers before they reach the client
 * (docs/grip.md#headers-the-client-never-sees).
 */
final class ResponseHeaders {
    private static final String[] HOP_BY_HOP = {"Connection", "Keep-Alive", "Content-Encoding", "Transfer-Encoding"};

    private ResponseHeaders() {
    }

    static void removeHopByHop(HttpHeaders headers) {
        for (String name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }
}
