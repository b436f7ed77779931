package org.pushpin.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One held client connection. Reads the response head (once per response, so Strings are fine there), then feeds
 * body bytes to its {@link StampScanner}. A stream hold stays on one response; a response hold (long-poll) asks
 * again on the same keep-alive connection after each complete response, which {@link ConnectionHolder} counts as
 * a reconnect.
 */
final class HeldClient extends ChannelInboundHandlerAdapter implements Connection {
    private static final ByteBuf HEAD_END = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    private static final int MAX_HEAD = 16 * 1024;

    private final int index;
    private final Mode mode;
    private final ConnectionHolder holder;
    private final StampScanner scanner;
    private Channel channel;
    private ByteBuf head;            // the response head while it arrives; null in the body
    private long bodyLeft = -1;      // long-poll: body bytes still to come; -1: until the connection ends
    private volatile boolean held;
    private volatile boolean finished;  // held or failed was reported
    private volatile boolean closing;   // closed by us: its end is no drop

    HeldClient(int index, Mode mode, ConnectionHolder holder, StampScanner.Sink sink) {
        this.index = index;
        this.mode = mode;
        this.holder = holder;
        this.scanner = new StampScanner(sink);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public ChannelHandler handler() {
        return this;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public void bind(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean isHeld() {
        return held && channel.isActive();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        request(ctx, "");
        if (!mode.streams()) {
            markHeld();
        }
    }

    private void request(ChannelHandlerContext ctx, String query) {
        head = ctx.alloc().heapBuffer(256);
        String req = "GET " + mode.pathPrefix + index + query + " HTTP/1.1\r\nHost: bench\r\n" + mode.extraHeaders
                + "\r\n";
        ctx.writeAndFlush(Unpooled.copiedBuffer(req, StandardCharsets.US_ASCII), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (buf.isReadable()) {
                if (head != null && !readHead(ctx, buf)) {
                    return;
                }
                readBody(ctx, buf);
            }
        } finally {
            buf.release();
        }
    }

    /** Moves head bytes from {@code buf} into {@link #head}; true once the head is complete and accepted. */
    private boolean readHead(ChannelHandlerContext ctx, ByteBuf buf) {
        int before = head.writerIndex();
        head.writeBytes(buf, Math.min(buf.readableBytes(), MAX_HEAD - before));
        int end = ByteBufUtil.indexOf(HEAD_END, head);
        if (end < 0) {
            if (head.writerIndex() >= MAX_HEAD) {
                fail("response head over " + MAX_HEAD + " bytes");
            }
            return false;
        }
        int headLength = end + HEAD_END.readableBytes();
        buf.readerIndex(buf.readerIndex() - (head.writerIndex() - headLength)); // give back the body bytes
        String text = head.toString(0, headLength, StandardCharsets.ISO_8859_1);
        head.release();
        head = null;
        String status = text.substring(0, text.indexOf('\r'));
        if (!status.startsWith("HTTP/1.1 200")) {
            if (held) {
                // a long-poll's re-poll refused (the reference answers some with 502 under load): closed here, so
                // that it counts as dropped rather than staying in its room without a request
                holder.refused(status);
                ctx.close();
            } else {
                fail(status);
            }
            return false;
        }
        bodyLeft = mode.streams() ? -1 : contentLength(text);
        return true;
    }

    private void readBody(ChannelHandlerContext ctx, ByteBuf buf) {
        int n = bodyLeft < 0 ? buf.readableBytes() : (int) Math.min(bodyLeft, buf.readableBytes());
        if (n > 0) {
            buf.forEachByte(buf.readerIndex(), n, scanner);
            buf.skipBytes(n);
            if (!held) {
                markHeld();
            }
        }
        if (bodyLeft >= 0) {
            bodyLeft -= n;
            if (bodyLeft == 0) {
                scanner.process((byte) '\n'); // a stamp may end the body
                holder.reconnected();
                // when the previous answer ended, for the origin's re-poll timing (System.nanoTime is the
                // machine's monotonic clock, the origin's too)
                request(ctx, "?after=" + System.nanoTime());
            }
        }
    }

    private static long contentLength(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return -1;
        }
        int from = at + "\r\ncontent-length:".length();
        return Long.parseLong(lower.substring(from, lower.indexOf('\r', from)).trim());
    }

    private void markHeld() {
        held = true;
        if (!finished) {
            finished = true;
            holder.held(this);
        }
    }

    /**
     * This client will never be held (a bad answer, its hold timer, a failed connect); closes it. Every caller runs
     * on the channel's event loop, so the flag needs no atomics.
     */
    @Override
    public void fail(String why) {
        if (!finished) {
            finished = true;
            holder.failed(this, why);
            channel.close();
        }
    }

    @Override
    public ChannelFuture close() {
        closing = true;
        return channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
        if (held) {
            if (!closing) {
                holder.dropped(this);
            }
        } else if (!finished) {
            finished = true;
            holder.failed(this, "closed before held");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
