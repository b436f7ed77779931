package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.pushpin.grip.WebSocketEvents;

/**
 * A client may not speak WebSocket-over-HTTP to an {@code over_http} origin itself: its events, and the meta it
 * could set with them, would reach the origin signed by us as if Pushpin had seen them on a WebSocket. Unless
 * trusted, a request with that content type gets Pushpin's 403 when it comes to such a target.
 */
final class WsOverHttpGuard {
    static final String MESSAGE = "Client not allowed to send WebSocket events directly.";

    private WsOverHttpGuard() {
    }

    /**
     * Whether the request's {@code Content-Type} is {@code application/websocket-events}, parameters aside. The
     * comparison is exact, as Pushpin's: another spelling is not read as events by an origin either.
     */
    static boolean sendsEvents(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).equals(WebSocketEvents.CONTENT_TYPE);
    }
}
