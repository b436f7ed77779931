package org.pushpin.hold;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import org.pushpin.message.Action;
import org.pushpin.message.PublishItem;
import org.pushpin.message.WsMessageFormat;
import org.pushpin.hub.DeliveryKind;

/**
 * GRIP WebSockets: an item's {@code ws-message} {@code send}, framed ONCE as the whole unmasked server frame every
 * receiving client gets (each writes a duplicate). Framed by Netty's {@link WebSocket13FrameEncoder}, so the bytes
 * are exactly what the client's own encoder would have written.
 */
final class WsMessageDelivery implements DeliveryKind<ByteBuf> {
    /** Stateless: the one instance every hub registers and every session looks its frame up by. */
    static final WsMessageDelivery INSTANCE = new WsMessageDelivery();

    private WsMessageDelivery() {
    }

    @Override
    public ByteBuf encode(PublishItem item) {
        WsMessageFormat f = item.wsMessage();
        if (f == null || f.action() != Action.SEND) {
            return null;
        }
        return frameBytes(frame(f.type(), f.content()));
    }

    /** A fresh frame of {@code type} with {@code content} (wrapped, not copied). */
    static WebSocketFrame frame(WsMessageFormat.Type type, byte[] content) {
        ByteBuf data = content.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content);
        return switch (type) {
            case TEXT -> new TextWebSocketFrame(data);
            case BINARY -> new BinaryWebSocketFrame(data);
            case PING -> new PingWebSocketFrame(data);
            case PONG -> new PongWebSocketFrame(data);
        };
    }

    /**
     * {@code frame} (released here) as one read-only buffer of its wire bytes. The buffer wraps a JDK direct buffer
     * freed by its cleaner once unreachable: nothing to release, so any loop may write duplicates of it.
     */
    static ByteBuf frameBytes(WebSocketFrame frame) {
        // A throwaway channel per item (not per receiver): the encoder needs a context to allocate from.
        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        java.util.List<ByteBuf> parts = new java.util.ArrayList<>(2);
        try {
            encoder.writeOutbound(frame);
            int size = 0;
            for (Object o; (o = encoder.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                parts.add(b);
                size += b.readableBytes();
            }
            // Large payloads come as a header and the payload: one buffer, so a receiver writes one duplicate.
            ByteBuffer out = ByteBuffer.allocateDirect(size);
            for (ByteBuf b : parts) {
                int n = b.readableBytes();
                out.limit(out.position() + n);
                b.getBytes(b.readerIndex(), out);
            }
            out.flip();
            return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(out).asReadOnly());
        } finally {
            for (ByteBuf b : parts) {
                b.release();
            }
            encoder.finishAndReleaseAll();
        }
    }
}
