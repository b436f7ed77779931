package org.pushpin.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;
import org.pushpin.timer.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a listener that speaks HTTP/2 too: reads the connection's first bytes and compares them with
 * HTTP/2's 24-byte client preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 §3.4). The moment a byte
 * differs the connection is HTTP/1 and gets exactly the pipeline it always had; a complete preface makes it HTTP/2
 * (prior knowledge on a plain port, or ALPN "h2" after TLS, whose client sends the same preface). Either way this
 * handler then leaves and hands on the bytes it read. An HTTP/1 request differs at the first or second byte
 * ({@code PUT}, {@code POST} and {@code PATCH} start with P too), so nothing waits on it.
 *
 * <p>It owns the connection's start: the first read, {@code client_maxconn} admission and
 * {@code client_request_timeout} until the protocol is known (a client that sends nothing is closed as before).
 */
final class PrefaceSniffer extends ChannelInboundHandlerAdapter {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    private static final Logger PROXY_LOG = LoggerFactory.getLogger("proxy");

    /** Builds the pipeline behind the sniffer for the protocol found. */
    interface Protocols {
        void http1(ChannelHandlerContext sniffer);

        void http2(ChannelHandlerContext sniffer);
    }

    private final Protocols protocols;
    private final int timeoutSeconds;
    private final Object admittedEvent;
    private boolean admitted;
    private ByteBuf seen;
    private ChannelHandlerContext ctx;
    private Deadline deadline;

    private final class Deadline extends TimerWheel.Timer {
        @Override
        protected void onTimeout() {
            deadline = null;
            if (ctx.channel().isActive()) {
                // the proxy's own line for an HTTP/1 client that stalls (its logger, so proxy:N levels apply)
                PROXY_LOG.debug("client sent no complete request within {} s: closing", timeoutSeconds);
                ctx.close();
            }
        }
    }

    PrefaceSniffer(Protocols protocols, int timeoutSeconds, boolean admitted, Object admittedEvent) {
        this.protocols = protocols;
        this.timeoutSeconds = timeoutSeconds;
        this.admitted = admitted;
        this.admittedEvent = admittedEvent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // not passed on: the protocol's handlers get their channelActive when they are added (see decide)
        if (admitted) {
            start();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == admittedEvent && !admitted) {
            admitted = true;
            start();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void start() {
        if (timeoutSeconds > 0) {
            deadline = new Deadline();
            TimerWheel.of(ctx.executor()).schedule(deadline, timeoutSeconds * 1000L);
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int offset = seen == null ? 0 : seen.readableBytes();
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes() - offset);
        boolean matches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, offset, n);
        if (!matches) {
            decide(false, in);
            return;
        }
        if (offset + in.readableBytes() >= PREFACE.readableBytes()) {
            decide(true, in);
            return;
        }
        if (seen == null) {
            seen = ctx.alloc().buffer(PREFACE.readableBytes());
        }
        seen.writeBytes(in);
        in.release();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ctx.pipeline().context(this) != null) {
            ctx.read(); // still undecided: more bytes are wanted (auto-read is off)
        }
    }

    /** Builds the protocol's pipeline, replays the connection's start and the bytes read, and leaves. */
    private void decide(boolean http2, ByteBuf last) {
        cancelDeadline();
        ByteBuf bytes = last;
        if (seen != null) {
            bytes = ctx.alloc().compositeBuffer(2).addComponents(true, seen, last);
            seen = null;
        }
        if (http2) {
            protocols.http2(ctx);
        } else {
            protocols.http1(ctx);
        }
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes); // the read cycle's channelReadComplete follows
    }

    private void cancelDeadline() {
        Deadline d = deadline;
        if (d != null) {
            deadline = null;
            TimerWheel.of(ctx.executor()).cancel(d);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ReferenceCountUtil.release(seen);
        seen = null;
        // nothing behind this handler has seen channelActive yet: nothing to tell
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
