package org.pushpin.hub;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.timer.TimerWheel;

/**
 * The instance-wide entry of one channel: which event loops have subscribers of it. Lives in the hub's concurrent
 * map from the channel's first subscription until its last one is gone (and, after a lingering unsubscribe, until
 * {@code subscription_linger} passed). {@code loops} is copy-on-write, changed only inside the map's
 * {@code compute} for this key (once per channel and loop, not per subscriber); the fanout reads it without locks.
 * Cost: ~40 bytes per channel plus 4 bytes per loop in the array; nothing per subscriber.
 *
 * <p>It is its own linger timer on the hub thread's wheel. It also knows whether the broker's subscription to the
 * channel is in force yet (always, with an in-process broker); holds that wait for it are kept here until it is.
 */
final class ChannelIndex extends TimerWheel.Timer {
    static final LoopChannel[] NONE = new LoopChannel[0];

    final String channel;
    private final Hub hub;
    volatile LoopChannel[] loops = NONE;
    /** System.nanoTime() until which the channel stays subscribed once empty; guarded by the map's compute. */
    long lingerUntil;
    boolean lingerSet;

    /** Set once the broker's subscription is in force; never unset. */
    private volatile boolean inForce;
    /** Holds waiting for {@link #inForce}; guarded by this object, null once in force. */
    private List<Waiter> waiters;

    ChannelIndex(String channel, Hub hub, boolean inForce) {
        this.channel = channel;
        this.hub = hub;
        this.inForce = inForce;
    }

    boolean inForce() {
        return inForce;
    }

    /** Counts {@code w} in; it runs once this and every other channel it waits for are in force. */
    void await(Waiter w) {
        synchronized (this) {
            if (!inForce) {
                if (waiters == null) {
                    waiters = new ArrayList<>(2);
                }
                w.pending.incrementAndGet();
                waiters.add(w);
            }
        }
    }

    /** The broker confirmed the subscription (any thread). */
    void nowInForce() {
        List<Waiter> ready;
        synchronized (this) {
            inForce = true;
            ready = waiters;
            waiters = null;
        }
        if (ready != null) {
            for (Waiter w : ready) {
                w.countDown();
            }
        }
    }

    /** A hold's start, waiting for the broker subscriptions of its channels; runs on the hold's loop. */
    static final class Waiter {
        /** Channels not yet in force, plus one until every channel was counted in. */
        final AtomicInteger pending = new AtomicInteger(1);
        private final EventLoop loop;
        private final Runnable then;

        Waiter(EventLoop loop, Runnable then) {
            this.loop = loop;
            this.then = then;
        }

        /** Every channel was counted in. */
        void armed() {
            countDown();
        }

        void countDown() {
            if (pending.decrementAndGet() == 0) {
                loop.execute(then);
            }
        }
    }

    void attach(LoopChannel lc) {
        LoopChannel[] cur = loops;
        LoopChannel[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = lc;
        loops = next;
    }

    void detach(LoopChannel lc) {
        LoopChannel[] cur = loops;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == lc) {
                LoopChannel[] next = new LoopChannel[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                loops = next.length == 0 ? NONE : next;
                return;
            }
        }
    }

    int subscribers() {
        int n = 0;
        for (LoopChannel lc : loops) {
            n += lc.live();
        }
        return n;
    }

    @Override
    protected void onTimeout() {
        hub.lingerExpired(this);
    }

    /** Subscribers of {@code mode} (a moment's count, from any thread). */
    int subscribers(Subscriber.Mode mode) {
        int n = 0;
        for (LoopChannel lc : loops) {
            n += lc.live(mode);
        }
        return n;
    }

    /** Runs {@code then} on {@code loop} once each of {@code names} found in {@code index} is in force, or now. */
    static void whenInForce(java.util.Map<String, ChannelIndex> index, EventLoop loop, String[] names, Runnable then) {
        Waiter waiter = null;
        for (String c : names) {
            ChannelIndex ci = index.get(c);
            if (ci != null && !ci.inForce()) {
                if (waiter == null) {
                    waiter = new Waiter(loop, then);
                }
                ci.await(waiter);
            }
        }
        if (waiter == null) {
            then.run();
        } else {
            waiter.armed();
        }
    }
}
