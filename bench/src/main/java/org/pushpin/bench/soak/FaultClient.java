package org.pushpin.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One one-shot request of a {@link FaultKind} ({@code Connection: close}), classified by how it ends: a complete
 * {@code 200} or {@code 502}, another status, a head followed by a cut body, no head at all, or no end within the
 * timeout. Its state is only touched on its channel's event loop.
 */
final class FaultClient extends ChannelInboundHandlerAdapter {
    private static final long LAST_CHUNK = packed("0\r\n\r\n");

    private final FaultKind kind;
    private final int index;
    private final Tally tally;
    private final AtomicInteger inFlight;
    private final long timeoutSeconds;
    private final ResponseHead head = new ResponseHead();
    private boolean inBody;
    private long bodyBytes;
    private long tail;             // the last 5 body bytes, to see a chunked body's last chunk
    private boolean reported;
    private ScheduledFuture<?> timer;

    FaultClient(FaultKind kind, int index, Tally tally, AtomicInteger inFlight, long timeoutSeconds) {
        this.kind = kind;
        this.timeoutSeconds = timeoutSeconds;
        this.index = index;
        this.tally = tally;
        this.inFlight = inFlight;
    }

    /** On the loop, before the connect can complete: starts the timeout. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            report(FaultOutcome.HUNG);
            ctx.close();
        }, timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String req = "GET " + kind.pathPrefix + index + " HTTP/1.1\r\nHost: " + kind.host
                + "\r\nConnection: close\r\n\r\n";
        ctx.writeAndFlush(Unpooled.wrappedBuffer(req.getBytes(StandardCharsets.US_ASCII)), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (!inBody) {
                if (!head.read(ctx.alloc(), buf)) {
                    return;
                }
                inBody = true;
            }
            bodyBytes += buf.readableBytes();
            while (buf.isReadable()) {
                tail = (tail << 8 | (buf.readByte() & 0xff)) & 0xff_ffff_ffffL;
            }
            if (complete()) {
                report(outcomeOfStatus());
                ctx.close();
            }
        } catch (RuntimeException e) {
            report(FaultOutcome.NO_RESPONSE);
            ctx.close();
        } finally {
            buf.release();
        }
    }

    private boolean complete() {
        if (head.contentLength() >= 0) {
            return bodyBytes >= head.contentLength();
        }
        return head.chunked() && tail == LAST_CHUNK;
    }

    private FaultOutcome outcomeOfStatus() {
        return switch (head.status()) {
            case 200 -> FaultOutcome.OK;
            case 502 -> FaultOutcome.BAD_GATEWAY;
            default -> FaultOutcome.OTHER_STATUS;
        };
    }

    /** A failed connect (no channelActive, no channelInactive). */
    void connectFailed() {
        report(FaultOutcome.CONNECT_FAILED);
    }

    private void report(FaultOutcome outcome) {
        if (!reported) {
            reported = true;
            if (timer != null) {
                timer.cancel(false);
            }
            inFlight.decrementAndGet();
            tally.fault(kind, outcome);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        head.release();
        if (!inBody) {
            report(FaultOutcome.NO_RESPONSE);
        } else if (complete() || head.contentLength() < 0 && !head.chunked()) {
            report(outcomeOfStatus()); // complete, or delimited by the close
        } else {
            report(FaultOutcome.CUT);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static long packed(String s) {
        long v = 0;
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            v = v << 8 | b;
        }
        return v;
    }
}
