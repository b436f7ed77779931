package org.pushpin.grip;

/** A body of {@code application/websocket-events} that cannot be read; the message says where and why. */
public final class WebSocketEventsException extends Exception {
    public WebSocketEventsException(String message) {
        super(message, null, false, false);
    }
}
