package org.pushpin.hub;

import org.pushpin.timer.TimerWheel;

/**
 * The instance-wide entry of one channel: which event loops have subscribers of it. Lives in the hub's concurrent
 * map from the channel's first subscription until its last one is gone (and, after a lingering unsubscribe, until
 * {@code subscription_linger} passed). {@code loops} is copy-on-write, changed only inside the map's
 * {@code compute} for this key (once per channel and loop, not per subscriber); the fanout reads it without locks.
 * Cost: ~40 bytes per channel plus 4 bytes per loop in the array; nothing per subscriber.
 *
 * <p>It is its own linger timer on the hub thread's wheel.
 */
final class ChannelIndex extends TimerWheel.Timer {
    static final LoopChannel[] NONE = new LoopChannel[0];

    final String channel;
    private final Hub hub;
    volatile LoopChannel[] loops = NONE;
    /** System.nanoTime() until which the channel stays subscribed once empty; guarded by the map's compute. */
    long lingerUntil;
    boolean lingerSet;

    ChannelIndex(String channel, Hub hub) {
        this.channel = channel;
        this.hub = hub;
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
}
