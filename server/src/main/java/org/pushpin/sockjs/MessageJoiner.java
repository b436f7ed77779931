package org.pushpin.sockjs;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the WebSocket frames meant for a SockJS client into whole messages: SockJS carries strings, so text and
 * binary messages become their UTF-8 text; fragments are joined (the bytes of a message in progress are the only
 * thing kept, and only while it is in progress); pings and pongs have no SockJS form and are dropped, as Pushpin
 * drops them. Published messages arrive as encoded server frames and are read here too.
 */
final class MessageJoiner {
    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;

    private ByteArrayOutputStream partial;
    private boolean inMessage;

    /** Takes {@code frame} (ownership passes); hands a message that it completes to {@code out}. */
    void frame(WebSocketFrame frame, Consumer<String> out) {
        try {
            int op = frame instanceof TextWebSocketFrame ? OP_TEXT : frame instanceof BinaryWebSocketFrame ? OP_BINARY
                    : frame instanceof ContinuationWebSocketFrame ? OP_CONTINUATION : -1;
            if (op >= 0) {
                part(op, frame.isFinalFragment(), frame.content(), out);
            }
        } finally {
            frame.release();
        }
    }

    /** Reads encoded server frames (a published message: never change or release them). */
    void encoded(ByteBuf frames, Consumer<String> out) {
        int i = frames.readerIndex();
        int end = frames.writerIndex();
        while (end - i >= 2) {
            int b0 = frames.getUnsignedByte(i);
            int b1 = frames.getUnsignedByte(i + 1);
            int at = i + 2;
            long len = b1 & 0x7f;
            if (len == 126) {
                len = frames.getUnsignedShort(at);
                at += 2;
            } else if (len == 127) {
                len = frames.getLong(at);
                at += 8;
            }
            if ((b1 & 0x80) != 0) {
                at += 4; // a server frame is not masked; skip a mask if one is there all the same
            }
            if (len < 0 || at + len > end) {
                return; // not a whole frame: nothing of ours writes one
            }
            part(b0 & 0x0f, (b0 & 0x80) != 0, frames.slice(at, (int) len), out);
            i = at + (int) len;
        }
    }

    private void part(int op, boolean fin, ByteBuf data, Consumer<String> out) {
        if (op == OP_TEXT || op == OP_BINARY) {
            inMessage = !fin;
            if (fin) {
                partial = null;
                out.accept(data.toString(StandardCharsets.UTF_8));
                return;
            }
            partial = new ByteArrayOutputStream(data.readableBytes() * 2);
        } else if (op != OP_CONTINUATION || !inMessage) {
            return; // control frames, or a continuation of nothing
        }
        partial.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(data));
        if (fin) {
            inMessage = false;
            String m = partial.toString(StandardCharsets.UTF_8);
            partial = null;
            out.accept(m);
        }
    }
}
