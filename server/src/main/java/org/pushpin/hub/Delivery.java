package org.pushpin.hub;

/**
 * One item for the subscribers of its channel on one event loop: the single task a fanout sends to each loop.
 * {@code receivers} is the count seen when the fanout was sized; {@code cap} is how many the limiter admitted
 * (fewer when the high-water mark cut it).
 */
final class Delivery implements Runnable {
    final Hub hub;
    final LoopChannel target;
    final Published published;
    final int receivers;
    /** Weight of one delivery ({@code message_block_size} blocks, else 1). */
    final int unitWeight;
    /** Where the receivers by mode go for the stats, or null when no stats are kept. */
    final ItemTally tally;
    /** Bits of the subscriber modes the item has a format for: only those receive it. */
    final int modes;
    /** Only subscribers of this route's allowance ({@link Subscriber#statsRoute()}), or null: every one. */
    final String route;
    int cap;
    /**
     * With wildcard subscriptions matching besides others: the subscribers on this loop the item already reached
     * through another of its channel indexes (shared by those deliveries, touched on the loop only); else null.
     */
    java.util.Set<Subscriber> once;
    /** The allowance that admitted it (hub thread; read on the loop after the hand-over). */
    DeliveryLimiter.Bucket bucket;

    Delivery(Hub hub, LoopChannel target, Published published, int receivers, int unitWeight, ItemTally tally,
             int modes, String route) {
        this.hub = hub;
        this.modes = modes;
        this.route = route;
        this.tally = tally;
        this.target = target;
        this.published = published;
        this.receivers = receivers;
        this.unitWeight = unitWeight;
        this.cap = receivers;
    }

    /** Queued weight this delivery holds until it ran. */
    long weight() {
        return (long) cap * unitWeight;
    }

    /** Rate cost: every delivery counts at least 1, as in Pushpin. */
    long cost() {
        return (long) cap * Math.max(1, unitWeight);
    }

    void dispatch() {
        target.loop.execute(this);
    }

    @Override
    public void run() {
        int delivered = 0;
        int[] byMode = tally == null ? null : ItemTally.newCounts();
        int[] outcomes = tally == null ? null : tally.newOutcomes();
        try {
            delivered = target.deliver(published, cap < receivers ? cap : Integer.MAX_VALUE, byMode, modes, route,
                    once, outcomes);
        } finally {
            hub.delivered(this, delivered);
            if (tally != null) {
                tally.done(byMode, outcomes);
            }
        }
    }
}
