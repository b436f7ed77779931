package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.grip.WebSocketEvent;

/**
 * The client's messages waiting for the next POST, as events: one per whole message (fragments put together
 * first), at most {@link #BUFFER_SIZE} content bytes held in all, the part of a message still coming included
 * (Pushpin's limit: a message that cannot fit is an error). {@link #take} makes one batch. Empty (and small) while
 * the client says nothing.
 */
final class WsOverHttpOutbox {
    /** Pushpin's BUFFER_SIZE: content bytes queued toward the origin, and the most a batch is filled to. */
    static final int BUFFER_SIZE = 200_000;

    private ArrayDeque<WebSocketEvent> messages;
    private int bytes;
    /** The message still coming in fragments: its type and what came so far; null when none. */
    private WebSocketEvent.Type partialType;
    private byte[] partial;
    private int partialLength;

    /** What became of a frame. */
    enum Added { OK, OVERFLOW, PROTOCOL_ERROR }

    /** Takes a client frame (released here). */
    Added add(WebSocketFrame frame) {
        try {
            ByteBuf data = frame.content();
            if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
                // control frames may come between the fragments of a message; they carry their own event
                WebSocketEvent.Type t = frame instanceof PingWebSocketFrame
                        ? WebSocketEvent.Type.PING : WebSocketEvent.Type.PONG;
                // for compactness Pushpin sends their content only when there is some
                byte[] c = data.isReadable() ? bytes(data) : null;
                return queue(WebSocketEvent.of(t, c));
            }
            boolean continuation = frame instanceof ContinuationWebSocketFrame;
            if (continuation != (partialType != null)) {
                return Added.PROTOCOL_ERROR;
            }
            if (!continuation) {
                if (frame instanceof TextWebSocketFrame) {
                    partialType = WebSocketEvent.Type.TEXT;
                } else if (frame instanceof BinaryWebSocketFrame) {
                    partialType = WebSocketEvent.Type.BINARY;
                } else {
                    return Added.OK;
                }
                partialLength = 0;
            }
            if (bytes + partialLength + data.readableBytes() > BUFFER_SIZE) {
                clear(false);
                return Added.OVERFLOW;
            }
            if (frame.isFinalFragment() && partial == null) {
                WebSocketEvent e = WebSocketEvent.of(partialType, bytes(data));
                partialType = null;
                return queue(e);
            }
            append(data);
            if (!frame.isFinalFragment()) {
                return Added.OK;
            }
            byte[] whole = new byte[partialLength];
            System.arraycopy(partial, 0, whole, 0, partialLength);
            WebSocketEvent e = WebSocketEvent.of(partialType, whole);
            partialType = null;
            partial = null;
            partialLength = 0;
            return queue(e);
        } finally {
            frame.release();
        }
    }

    private void append(ByteBuf data) {
        int n = data.readableBytes();
        if (partial == null || partial.length < partialLength + n) {
            byte[] grown = new byte[Math.max(partialLength + n, partial == null ? n : partial.length * 2)];
            if (partial != null) {
                System.arraycopy(partial, 0, grown, 0, partialLength);
            }
            partial = grown;
        }
        data.getBytes(data.readerIndex(), partial, partialLength, n);
        partialLength += n;
    }

    private Added queue(WebSocketEvent e) {
        int size = e.content() == null ? 0 : e.content().length;
        if (bytes + partialLength + size > BUFFER_SIZE) {
            return Added.OVERFLOW;
        }
        if (messages == null) {
            messages = new ArrayDeque<>();
        }
        messages.addLast(e);
        bytes += size;
        return Added.OK;
    }

    private static byte[] bytes(ByteBuf data) {
        byte[] b = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), b);
        return b;
    }

    /** Whether a whole message waits. */
    boolean hasMessages() {
        return messages != null && !messages.isEmpty();
    }

    /**
     * Whether to read on (false: stop reading the client until a POST took some). Also true when only part of a
     * message is held, however big: a POST cannot take it before its end comes, so only reading on completes it or
     * shows it too big (the limit still holds: {@link #add} refuses what would pass it). Stopping there left such a
     * client waiting for ever.
     */
    boolean hasRoom() {
        return bytes + partialLength < BUFFER_SIZE || bytes == 0;
    }

    /**
     * One batch: whole messages in order while under {@link #BUFFER_SIZE} content bytes, at most {@code maxEvents}
     * of them ({@code 0}: no limit).
     */
    List<WebSocketEvent> take(int maxEvents) {
        List<WebSocketEvent> batch = new ArrayList<>();
        int size = 0;
        while (hasMessages() && size < BUFFER_SIZE && (maxEvents <= 0 || batch.size() < maxEvents)) {
            WebSocketEvent e = messages.pollFirst();
            int n = e.content() == null ? 0 : e.content().length;
            size += n;
            bytes -= n;
            batch.add(e);
        }
        if (messages != null && messages.isEmpty()) {
            messages = null;
        }
        return batch;
    }

    /** Drops a message still coming (before a close, as Pushpin does), and everything queued with {@code all}. */
    void clear(boolean all) {
        partialType = null;
        partial = null;
        partialLength = 0;
        if (all) {
            messages = null;
            bytes = 0;
        }
    }
}
