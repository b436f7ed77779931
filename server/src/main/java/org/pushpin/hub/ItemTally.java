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

    private final PublishItem item;
    private final SubscriptionListener listener;
    private final ReportedPublish.Item report;
    private final AtomicIntegerArray receivers = new AtomicIntegerArray(MODES);
    /** Loops still to report, plus one held by the fanout until it has sent every delivery. */
    private final AtomicInteger pending = new AtomicInteger(1);

    /** @param listener the stats' ear, or null; @param report the publisher's, or null */
    ItemTally(PublishItem item, SubscriptionListener listener, ReportedPublish.Item report) {
        this.item = item;
        this.listener = listener;
        this.report = report;
    }

    static int[] newCounts() {
        return new int[MODES];
    }

    /** The publisher's report of this item, or null (the fanout adds receivers and drops to it). */
    ReportedPublish.Item report() {
        return report;
    }

    /** One more delivery of this item will report. */
    void expect() {
        pending.incrementAndGet();
    }

    /** A delivery (or the fanout, with null) is done. */
    void done(int[] counts) {
        if (counts != null) {
            for (int m = 0; m < MODES; m++) {
                if (counts[m] != 0) {
                    receivers.addAndGet(m, counts[m]);
                }
            }
        }
        if (pending.decrementAndGet() == 0) {
            if (listener != null) {
                int[] total = new int[MODES];
                for (int m = 0; m < MODES; m++) {
                    total[m] = receivers.get(m);
                }
                listener.delivered(item, total);
            }
            if (report != null) {
                report.finished();
            }
        }
    }
}
