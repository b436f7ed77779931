package org.pushpin.proxy;

/**
 * The GRIP side of one proxied WebSocket: its subscriptions, keep-alive and delayed messages, and the deliveries
 * of published {@code ws-message} items. Created by {@link WsSessions} when the origin accepted the GRIP
 * extension or the target has {@code sub=} channels. Every method is called on the connection's loop.
 */
public interface WsSession {
    /** A control message from the origin: the JSON after {@code c:}. Invalid JSON and unknown types are ignored. */
    void onControl(String json);

    /** The origin sent the client a message (an idle-mode keep-alive waits again). */
    void onOriginMessage();

    /** The connection is gone: unsubscribe everything, cancel every timer. Called once. */
    void closed();
}
