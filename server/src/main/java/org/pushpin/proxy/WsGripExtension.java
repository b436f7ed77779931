package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The GRIP WebSocket extension as the origin accepts it ({@code Sec-WebSocket-Extensions: grip} in its 101, or in
 * the first response over HTTP, with an optional {@code message-prefix} parameter), and how it sorts the origin's
 * text messages: {@code c:} control messages for the session, prefixed messages for the client (prefix stripped),
 * the rest dropped. Binary messages follow the message-prefix rule too; ping, pong and close always pass.
 */
public final class WsGripExtension {
    public static final String NAME = "grip";
    static final String DEFAULT_PREFIX = "m:";
    private static final byte[] CONTROL = {'c', ':'};

    /** What the origin meant by one message. */
    public enum Kind { CONTROL, MESSAGE, DROPPED }

    private final byte[] messagePrefix;

    private WsGripExtension(String messagePrefix) {
        this.messagePrefix = messagePrefix.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The extension from the values of the origin's {@code Sec-WebSocket-Extensions} headers, or null when none
     * of them names {@code grip}.
     */
    public static WsGripExtension fromHeaders(List<String> values) {
        for (String value : values) {
            for (String ext : value.split(",", -1)) {
                String[] parts = ext.split(";", -1); // -1: ";" alone is one empty name, not no parts
                if (!parts[0].trim().equalsIgnoreCase(NAME)) {
                    continue;
                }
                String prefix = DEFAULT_PREFIX;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim();
                    int eq = p.indexOf('=');
                    if (eq > 0 && p.substring(0, eq).trim().equals("message-prefix")) {
                        prefix = unquote(p.substring(eq + 1).trim());
                    }
                }
                return new WsGripExtension(prefix);
            }
        }
        return null;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    public int messagePrefixLength() {
        return messagePrefix.length;
    }

    /**
     * Sorts the first frame of an origin message ({@code text}: a text frame, else binary). A control message is
     * only ever a text message; the caller strips {@link #messagePrefixLength()} bytes off a {@code MESSAGE}, or
     * two bytes ({@code c:}) off a {@code CONTROL}.
     */
    public Kind classify(ByteBuf content, boolean text) {
        if (text && startsWith(content, CONTROL)) {
            return Kind.CONTROL;
        }
        return startsWith(content, messagePrefix) ? Kind.MESSAGE : Kind.DROPPED;
    }

    private static boolean startsWith(ByteBuf content, byte[] prefix) {
        if (content.readableBytes() < prefix.length) {
            return false;
        }
        int at = content.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (content.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
