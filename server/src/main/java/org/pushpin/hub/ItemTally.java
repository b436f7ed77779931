package org.pushpin.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.pushpin.message.PublishItem;

/**
 * One fanned-out item's deliveries summed over the loops it went to: the last loop to finish (or the fanout, when
 * no loop got it) reports. It serves two ears, either of which may be absent: the stats socket's {@code message}
 * packet (receivers by subscriber mode, while a {@link SubscriptionListener} is set) and a publisher that asked
 * what became of its item ({@link ReportedPublish.Item}). Made only when one of them wants it; each loop touches it
 * once per item, never per delivery.
 */
final class ItemTally {
    private static final int MODES = Subscriber.Mode.values().length;
    private static final int OUTCOMES = DeliveryOutcome.values().length;

    private final PublishItem item;
    private final SubscriptionListener listener;
    private final ReportedPublish.Item report;
    private final AtomicIntegerArray receivers = new AtomicIntegerArray(MODES);
    /** What became of the item at each subscriber, by mode and outcome; only for a publisher that asked. */
    private final AtomicIntegerArray outcomes;
    /** Loops still to report, plus one held by the fanout until it has sent every delivery. */
    private final AtomicInteger pending = new AtomicInteger(1);

    /** @param listener the stats' ear, or null; @param report the publisher's, or null */
    ItemTally(PublishItem item, SubscriptionListener listener, ReportedPublish.Item report) {
        this.item = item;
        this.listener = listener;
        this.report = report;
        this.outcomes = report == null ? null : new AtomicIntegerArray(MODES * OUTCOMES);
    }

    static int[] newCounts() {
        return new int[MODES];
    }

    /** A loop's outcome counts to fill ({@link #at}), or null when nobody asked for them. */
    int[] newOutcomes() {
        return outcomes == null ? null : new int[MODES * OUTCOMES];
    }

    /** Where {@code o} at a subscriber of {@code mode} is counted in an outcomes array. */
    static int at(Subscriber.Mode mode, DeliveryOutcome o) {
        return mode.ordinal() * OUTCOMES + o.ordinal();
    }

    /** The publisher's report of this item, or null (the fanout adds receivers and drops to it). */
    ReportedPublish.Item report() {
        return report;
    }

    /** One more delivery of this item will report. */
    void expect() {
        pending.incrementAndGet();
    }

    /** A delivery (or the fanout, with nulls) is done: its receivers by mode and outcomes ({@link #at}). */
    void done(int[] counts, int[] loopOutcomes) {
        add(receivers, counts);
        add(outcomes, loopOutcomes);
        if (pending.decrementAndGet() == 0) {
            int[] byOutcome = outcomes == null ? null : snapshot(outcomes);
            if (listener != null) {
                listener.delivered(item, snapshot(receivers), byOutcome);
            }
            if (report != null) {
                report.outcomes(byOutcome);
                report.finished();
            }
        }
    }

    private static void add(AtomicIntegerArray to, int[] counts) {
        if (to != null && counts != null) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    to.addAndGet(i, counts[i]);
                }
            }
        }
    }

    private static int[] snapshot(AtomicIntegerArray a) {
        int[] out = new int[a.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }
}
