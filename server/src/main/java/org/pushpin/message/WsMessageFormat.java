package org.pushpin.message;

import java.util.List;

/**
 * {@code ws-message}: a WebSocket message (delivered once WebSockets exist).
 *
 * @param type       text, binary, ping or pong
 * @param closeCode  for {@code close}: the close code, or -1
 * @param closeReason for {@code close}: the reason, or null
 */
public record WsMessageFormat(Action action, Type type, byte[] content, int closeCode, String closeReason,
                              List<String> contentFilters) implements Format {
    public enum Type { TEXT, BINARY, PING, PONG }
}
