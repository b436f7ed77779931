package org.pushpin.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.bench.load.StampScanner;

/**
 * A held SSE stream: {@code GET /sse/i}. Held at its first body bytes; then every {@code @n} in the body is a
 * message number, checked as it arrives and at the end by {@link Rules}.
 */
final class StreamClient extends SoakClient implements StampScanner.Sink {
    private final ResponseHead head = new ResponseHead();
    private final StampScanner scanner = new StampScanner(this);
    private boolean inBody;
    private long heldAt;
    private long first;
    private long last;

    StreamClient(int index, Rules rules, AtomicInteger pending) {
        super(index, rules, pending);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx, "GET /sse/" + index + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (!inBody) {
                if (!head.read(ctx.alloc(), buf)) {
                    return;
                }
                if (head.status() != 200) {
                    fail("stream answered " + head.status());
                    return;
                }
                inBody = true;
            }
            if (buf.isReadable()) {
                if (!held) {
                    heldAt = System.nanoTime();
                    rules.tally.streamsHeld.increment();
                    markHeld();
                }
                buf.forEachByte(scanner);
            }
        } catch (RuntimeException e) {
            fail(e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Override
    public void stamp(long n) {
        if (retired) {
            return; // what comes after our close is not counted
        }
        last = rules.streamReceived(index, last, n);
        if (first == 0) {
            first = n;
        }
    }

    @Override
    void ended(long closeAt) {
        if (heldAt == 0) {
            return; // never held: counted as a failure where it ended
        }
        rules.streamEnded(index, heldAt, first, last, closeAt);
    }

    @Override
    void dropped() {
        rules.tally.streamsDropped.increment();
        rules.tally.violation("stream %d: closed by the server", index);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        head.release();
        super.channelInactive(ctx);
    }
}
