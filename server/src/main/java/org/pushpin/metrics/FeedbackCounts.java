package org.pushpin.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the items whose publisher asked for delivery feedback (docs/delivery-feedback.md), summed over
 * them on this instance: one count per subscriber an item reached here, by outcome. Added to once per item when its
 * counts are complete, never per delivery; items published without feedback are not counted here.
 */
public final class FeedbackCounts {
    /** The outcomes, as the {@code outcome} label of {@code pushpin_feedback_deliveries_total} names them. */
    public enum Outcome {
        DELIVERED, FILTERED, DEFERRED, SLOW_CLIENT, CLOSED, FILTER_ERROR
    }

    private final LongAdder[] counts = new LongAdder[Outcome.values().length];
    private final LongAdder items = new LongAdder();

    FeedbackCounts() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** One item's counts on this instance. */
    public void add(int delivered, int filtered, int deferred, int slowClient, int closed, int filterError) {
        items.increment();
        add(Outcome.DELIVERED, delivered);
        add(Outcome.FILTERED, filtered);
        add(Outcome.DEFERRED, deferred);
        add(Outcome.SLOW_CLIENT, slowClient);
        add(Outcome.CLOSED, closed);
        add(Outcome.FILTER_ERROR, filterError);
    }

    private void add(Outcome o, int n) {
        if (n != 0) {
            counts[o.ordinal()].add(n);
        }
    }

    public long count(Outcome o) {
        return counts[o.ordinal()].sum();
    }

    /** Items counted. */
    public long items() {
        return items.sum();
    }
}
