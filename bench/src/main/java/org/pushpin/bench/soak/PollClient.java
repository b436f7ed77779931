package org.pushpin.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long-poll client: {@code GET /poll/i}, and again on the same connection after each answer. An answer is
 * {@code @n\n} (message {@code n}) or empty (the hold's timeout answer); {@link Rules} checks each.
 */
final class PollClient extends SoakClient {
    private final ResponseHead head = new ResponseHead();
    private boolean inBody;
    private long bodyLeft;
    private long value;
    private boolean marked;
    private long askedAt;
    private boolean reasked;   // the server answered on this connection: it reads our polls
    private long last;

    PollClient(int index, Rules rules, AtomicInteger pending) {
        super(index, rules, pending);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        rules.tally.pollsOpened.increment();
        markHeld(); // nothing comes back until a message: held once asked
        ask(ctx);
    }

    private void ask(ChannelHandlerContext ctx) {
        askedAt = System.nanoTime();
        send(ctx, "GET /poll/" + index + " HTTP/1.1\r\nHost: bench\r\n\r\n");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (buf.isReadable() && !retired) {
                if (!inBody) {
                    if (!head.read(ctx.alloc(), buf)) {
                        return;
                    }
                    if (head.status() != 200 || head.contentLength() < 0) {
                        fail("poll answered " + head.status() + (head.contentLength() < 0 ? " without a length" : ""));
                        return;
                    }
                    inBody = true;
                    bodyLeft = head.contentLength();
                    value = 0;
                    marked = false;
                }
                while (bodyLeft > 0 && buf.isReadable()) {
                    byte b = buf.readByte();
                    bodyLeft--;
                    if (b == '@') {
                        marked = true;
                    } else if (marked && b >= '0' && b <= '9') {
                        value = value * 10 + (b - '0');
                    }
                }
                if (bodyLeft == 0) {
                    inBody = false;
                    last = rules.pollAnswered(index, askedAt, reasked, last, marked ? value : 0, System.nanoTime());
                    reasked = true;
                    ask(ctx);
                }
            }
        } catch (RuntimeException e) {
            fail(e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Override
    void ended(long closeAt) {
        // every answer was checked as it came; a poll still waiting owes nothing yet
    }

    @Override
    void dropped() {
        rules.tally.pollsDropped.increment();
        rules.tally.violation("poll %d: closed by the server", index);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        head.release();
        super.channelInactive(ctx);
    }
}
