package org.pushpin.bench.soak;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One held client of the soak (a stream or a long-poll), in room {@code room-(index % rooms)}. Its state is only
 * touched on its channel's event loop; {@link #held} and {@link #ended} are read by the churn thread.
 */
abstract class SoakClient extends ChannelInboundHandlerAdapter {
    /** How long a client may take from connect to held before it counts as failed. */
    static final long HOLD_TIMEOUT_S = 30;

    final int index;
    final Rules rules;
    private final AtomicInteger pending; // connects not yet held or ended, shared by the population
    private volatile Channel channel; // set by the churn thread
    private Channel loopChannel;      // the same, set on the loop
    private ScheduledFuture<?> holdTimer;
    private boolean settled;     // held or failed was counted (loop only)
    boolean retired;             // closed by us (loop only)
    volatile boolean held;
    volatile boolean ended;

    SoakClient(int index, Rules rules, AtomicInteger pending) {
        this.index = index;
        this.rules = rules;
        this.pending = pending;
    }

    /** For the churn thread, right after the connect started. */
    void bind(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    /**
     * On the loop, before the connect can complete (a loopback connect may complete before {@link #bind} returns
     * on the churn thread): starts the hold timer.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        loopChannel = ctx.channel();
        holdTimer = ctx.executor().schedule(() -> fail("not held after " + HOLD_TIMEOUT_S + " s"),
                HOLD_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Held now and not ended: may be churned. */
    boolean live() {
        return held && !ended;
    }

    static void send(ChannelHandlerContext ctx, String request) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.US_ASCII)), ctx.voidPromise());
    }

    void markHeld() {
        held = true;
        settle();
    }

    private void settle() {
        if (!settled) {
            settled = true;
            pending.decrementAndGet();
            holdTimer.cancel(false);
        }
    }

    /** This client got a wrong answer or never got held; counted once, then closed. On the loop. */
    void fail(String why) {
        if (retired) {
            return;
        }
        retired = true; // its end is no drop: it is counted here
        rules.tally.failed(why);
        rules.tally.violation("client %d: %s", index, why);
        settle();
        loopChannel.close();
    }

    /** Closed by the client on purpose at {@code now} (churn, or the end of the run). On the loop. */
    void retire(long now) {
        if (!retired && !ended) {
            retired = true;
            ended(now);
            loopChannel.close();
        }
    }

    /** The end of a held client's life at {@code closeAt}: check what it was owed. */
    abstract void ended(long closeAt);

    /** The server closed a held client: no reason to during the soak. */
    abstract void dropped();

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended = true;
        if (!retired) {
            if (held) {
                dropped();
                ended(System.nanoTime());
            } else {
                fail("closed before held");
            }
        }
        settle();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
