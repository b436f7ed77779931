package org.pushpin.hold;

import org.pushpin.transport.LoopFlusher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import org.pushpin.proxy.HeldConnection;
import org.pushpin.proxy.StreamOutput;

/**
 * The writer of a stream hold once nothing but the stream is left of the exchange (see
 * {@link org.pushpin.proxy.GripExchange#compact()}): the client connection, the framing and a few flags — what an
 * idle held stream costs. The response encoder is out of the pipeline meanwhile, so the bytes are framed here:
 * published content arrives already framed once for everyone ({@link #writeShared}, see {@link HttpStreamBytes})
 * and goes out as a duplicate, with no copy and no per-message wrapper. Writes are flushed by the loop's
 * {@link LoopFlusher}, once per burst.
 *
 * <p>It is the connection's close listener itself ({@link #run()}), so holding a stream costs no extra object.
 */
final class HeldStream implements StreamOutput, Runnable, LoopFlusher.Flushable {
    private static final ByteBuf CRLF = constant("\r\n");
    private static final ByteBuf LAST_CHUNK = constant("0\r\n\r\n");

    private final HeldConnection client;
    /** HTTP/1.1: chunked; HTTP/1.0: close-delimited, the bytes as they are. */
    private final boolean chunked;
    private final boolean debug;
    private boolean done;
    private boolean flushQueued;
    private Runnable closeListener;

    HeldStream(HeldConnection client, boolean chunked, boolean debug, Runnable closeListener) {
        this.client = client;
        this.chunked = chunked;
        this.debug = debug;
        this.closeListener = closeListener;
        client.onClose(this);
    }

    @Override
    public Channel channel() {
        return client.channel();
    }

    @Override
    public boolean debug() {
        return debug;
    }

    @Override
    public void write(ByteBuf data) {
        if (done || !data.isReadable()) {
            data.release(); // an empty chunk would end the stream
            return;
        }
        Channel ch = client.channel();
        if (chunked) {
            String size = Integer.toHexString(data.readableBytes()) + "\r\n";
            ByteBuf head = ch.alloc().directBuffer(size.length());
            ByteBufUtil.writeAscii(head, size);
            ch.write(head, ch.voidPromise());
            ch.write(data, ch.voidPromise());
            ch.write(CRLF.duplicate(), ch.voidPromise());
        } else {
            ch.write(data, ch.voidPromise());
        }
        flushSoon(ch);
    }

    @Override
    public void writeShared(ByteBuf content, ByteBuf chunk) {
        ByteBuf bytes = chunked ? chunk : content;
        if (done || bytes == null || !bytes.isReadable()) {
            return;
        }
        Channel ch = client.channel();
        ch.write(bytes.retainedDuplicate(), ch.voidPromise());
        flushSoon(ch);
    }

    private void flushSoon(Channel ch) {
        if (!flushQueued) {
            flushQueued = true;
            LoopFlusher.current().add(this, ch.eventLoop());
        }
    }

    /** Called by the loop's flusher. */
    @Override
    public void flushNow() {
        flushQueued = false;
        if (!done) {
            client.channel().flush();
        }
    }

    @Override
    public void endStream() {
        if (done) {
            return;
        }
        done = true;
        Channel ch = client.channel();
        if (chunked) {
            ch.write(LAST_CHUNK.duplicate(), ch.voidPromise());
        }
        ch.flush();
        client.streamEnded();
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            client.abort();
        }
    }

    @Override
    public void onClientClose(Runnable listener) {
        this.closeListener = listener;
    }

    /** The client connection closed while the stream held it. */
    @Override
    public void run() {
        if (!done) {
            done = true;
            if (closeListener != null) {
                closeListener.run();
            }
        }
    }

    @Override
    public boolean isDone() {
        return done;
    }

    private static ByteBuf constant(String s) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(s.length()).writeBytes(s.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }
}
