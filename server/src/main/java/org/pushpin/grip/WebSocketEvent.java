package org.pushpin.grip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One event of {@code application/websocket-events} (WebSocket-over-HTTP): a type and, unless the event has none,
 * its content. A type Pushpin does not know is kept as it came ({@link #known()} is null), so a caller can tell an
 * unknown first event from none; Pushpin ignores such events elsewhere.
 *
 * @param type    the type as on the wire, e.g. {@code TEXT}
 * @param content the content bytes, or null for an event without content ({@code TYPE\r\n}); not copied
 */
public record WebSocketEvent(String type, byte[] content) {
    /** The event types Pushpin knows. */
    public enum Type { OPEN, TEXT, BINARY, PING, PONG, CLOSE, DISCONNECT }

    public WebSocketEvent {
        Objects.requireNonNull(type, "type");
        for (int i = 0; i < type.length(); i++) {
            char ch = type.charAt(i);
            if (ch == ' ' || ch > 0xff || (ch == '\r' && i + 1 < type.length() && type.charAt(i + 1) == '\n')) {
                throw new IllegalArgumentException("event type cannot be written: " + type);
            }
        }
    }

    public static WebSocketEvent of(Type type) {
        return new WebSocketEvent(type.name(), null);
    }

    public static WebSocketEvent of(Type type, byte[] content) {
        return new WebSocketEvent(type.name(), content);
    }

    /** A {@code CLOSE} with a code (2 bytes, big-endian) and a UTF-8 reason, as a close frame carries them. */
    public static WebSocketEvent close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[2 + r.length];
        c[0] = (byte) (code >> 8);
        c[1] = (byte) code;
        System.arraycopy(r, 0, c, 2, r.length);
        return new WebSocketEvent(Type.CLOSE.name(), c);
    }

    /** The type if Pushpin knows it (the match is exact, as Pushpin's), else null. */
    public Type known() {
        for (Type t : Type.values()) {
            if (t.name().equals(type)) {
                return t;
            }
        }
        return null;
    }

    /** The content, empty when the event has none. */
    public byte[] contentOrEmpty() {
        return content == null ? new byte[0] : content;
    }

    /** A close code carried by a {@code CLOSE} event, or -1 when its content is shorter than 2 bytes. */
    public int closeCode() {
        return content != null && content.length >= 2 ? ((content[0] & 0xff) << 8) | (content[1] & 0xff) : -1;
    }

    /** The reason after a close code, decoded as UTF-8; empty without a code. */
    public String closeReason() {
        return closeCode() < 0 ? "" : new String(content, 2, content.length - 2, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebSocketEvent e && type.equals(e.type) && Arrays.equals(content, e.content);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return content == null ? type : type + "[" + content.length + "]";
    }
}
