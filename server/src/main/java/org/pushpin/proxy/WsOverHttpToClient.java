package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.pushpin.grip.WebSocketEvent;

/**
 * What an {@code over_http} origin's {@code TEXT}, {@code BINARY}, {@code PING} and {@code PONG} events become on
 * the client's WebSocket: messages split into frames of {@value #FRAME_SIZE_MAX} bytes as Pushpin does, sorted by
 * the GRIP extension when the origin accepted it ({@code c:} control messages go to the session, never to the
 * client; the message prefix is stripped; unprefixed messages are dropped).
 */
final class WsOverHttpToClient {
    /** Pushpin splits origin messages into frames of at most this many bytes. */
    static final int FRAME_SIZE_MAX = 16_384;
    /** The most a ping or pong frame may carry (RFC 6455 §5.5); longer ones cannot be sent and are dropped. */
    private static final int CONTROL_MAX = 125;

    private WsOverHttpToClient() {
    }

    /**
     * Passes the events from {@code from} on to {@code client} while {@code open} says so (a control message may
     * detach it midway) until one that ends the connection ({@code CLOSE}; {@code OPEN} or {@code DISCONNECT}: a
     * drop), which it returns; null when none did. Events of types Pushpin does not know are ignored.
     */
    static WebSocketEvent deliverAll(List<WebSocketEvent> events, int from, ClientWebSocket client,
                                     BooleanSupplier open, WsGripExtension grip, WsSession session) {
        for (int i = from; i < events.size(); i++) {
            WebSocketEvent e = events.get(i);
            WebSocketEvent.Type type = e.known();
            if (type == WebSocketEvent.Type.CLOSE || type == WebSocketEvent.Type.OPEN
                    || type == WebSocketEvent.Type.DISCONNECT) {
                return e;
            }
            if (type != null && open.getAsBoolean() && deliver(client, grip, session, type, e.contentOrEmpty())
                    && session != null) {
                session.onOriginMessage();
            }
        }
        return null;
    }

    /**
     * Passes one event on. {@code grip} and {@code session} may be null. Returns whether the client was sent
     * something (an idle keep-alive of the session then waits again).
     */
    static boolean deliver(ClientWebSocket client, WsGripExtension grip, WsSession session,
                           WebSocketEvent.Type type, byte[] content) {
        switch (type) {
            case PING, PONG -> {
                if (content.length > CONTROL_MAX) {
                    return false;
                }
                ByteBuf data = Unpooled.wrappedBuffer(content);
                client.write(type == WebSocketEvent.Type.PING ? new PingWebSocketFrame(data)
                        : new PongWebSocketFrame(data));
                return true;
            }
            case TEXT, BINARY -> {
                return message(client, grip, session, type == WebSocketEvent.Type.TEXT, content);
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean message(ClientWebSocket client, WsGripExtension grip, WsSession session, boolean text,
                                   byte[] content) {
        int from = 0;
        if (grip != null) {
            switch (grip.classify(Unpooled.wrappedBuffer(content), text)) {
                case CONTROL -> {
                    if (session != null) {
                        session.onControl(new String(content, 2, content.length - 2, StandardCharsets.UTF_8));
                    }
                    return false;
                }
                case DROPPED -> {
                    return false;
                }
                case MESSAGE -> from = grip.messagePrefixLength();
            }
        }
        int at = from;
        do {
            int n = Math.min(FRAME_SIZE_MAX, content.length - at);
            boolean fin = at + n >= content.length;
            ByteBuf data = Unpooled.wrappedBuffer(content, at, n);
            WebSocketFrame f = at > from ? new ContinuationWebSocketFrame(fin, 0, data)
                    : text ? new TextWebSocketFrame(fin, 0, data) : new BinaryWebSocketFrame(fin, 0, data);
            client.write(f);
            at += n;
        } while (at < content.length);
        return true;
    }
}
