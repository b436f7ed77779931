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
    /**
     * With a shared history: the replayed ids whose live copy may still come (published after this gate subscribed
     * but read by the lookup too); each is skipped once. Relies on ids being unique within a channel.
     */
    private java.util.HashSet<String> replayedIds;

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
        if (r.ids() != null && !r.ids().isEmpty()) {
            replayedIds = new java.util.HashSet<>(r.ids());
        }
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
        replayedIds = null;
    }

    @Override
    public void deliver(String channel, Published published) {
        if (waiting != null) {
            waiting.add(published);
        } else if (replayedIds != null && published.item().id() != null
                && replayedIds.remove(published.item().id())) {
            // its copy from the shared history went out already (the live one may come after the lookup's answer)
            if (replayedIds.isEmpty()) {
                replayedIds = null;
            }
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
