package org.pushpin.hub;

import java.util.ArrayList;

/**
 * Stands in the hub for a resuming subscriber (docs/history.md) so that it gets the replay from history first, then
 * live items, without gap or duplicate. Subscribed in the subscriber's place before the history is asked: live
 * deliveries that come before the replay are held back; once the replay came, a live item at or before its
 * {@link HistoryReplay#upTo()} position (already replayed, or older than the resume point) is skipped. Exists only
 * for holds that resumed; everything runs on the subscriber's loop.
 */
public final class ResumeGate implements Subscriber {
    private final Subscriber target;
    /** Live deliveries waiting for the replay; null once it came. */
    private ArrayList<Published> waiting = new ArrayList<>(4);
    private long upTo = Long.MAX_VALUE;

    public ResumeGate(Subscriber target) {
        this.target = target;
    }

    /** The subscriber this gate stands for. */
    public Subscriber target() {
        return target;
    }

    /** The history's answer: replays it, then what waited, and opens to live items. Once. */
    public void replay(HistoryReplay r) {
        if (waiting == null) {
            return;
        }
        for (Published p : r.items()) {
            target.deliver(p.item().channel(), p);
        }
        // Not found: nothing is replayed and the subscriber gets what a fresh one would, from its subscription on.
        upTo = r.found() ? r.upTo() : Long.MIN_VALUE;
        ArrayList<Published> held = waiting;
        waiting = null;
        for (Published p : held) {
            deliver(p.item().channel(), p);
        }
    }

    /** The subscriber left the channel: a replay still on its way is dropped. */
    public void cancel() {
        waiting = null;
        upTo = Long.MAX_VALUE;
    }

    @Override
    public void deliver(String channel, Published published) {
        if (waiting != null) {
            waiting.add(published);
        } else if (published.seq() > upTo) {
            target.deliver(channel, published);
        }
    }

    @Override
    public void drain() {
        target.drain();
    }

    @Override
    public String statsRoute() {
        return target.statsRoute();
    }

    @Override
    public Mode mode() {
        return target.mode();
    }
}
