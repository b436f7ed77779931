package org.pushpin.proxy;

/**
 * Where a proxied WebSocket gets its GRIP session: the seam between proxying WebSockets and holding them. The
 * holds package (a layer above, plugged in by the composition root) subscribes through the hub; {@link #NONE}
 * runs WebSockets as plain passthrough.
 */
@FunctionalInterface
public interface WsSessions {
    WsSessions NONE = connection -> null;

    /** The session of {@code connection}, started (implicit subscriptions made), or null when there is none. */
    WsSession open(WsConnection connection);
}
