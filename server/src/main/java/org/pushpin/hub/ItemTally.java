package org.pushpin.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.pushpin.message.PublishItem;

/**
 * The receivers of one fanned-out item by subscriber mode, summed over the loops it went to, for the stats
 * socket's {@code message} packet: the last loop to finish (or the fanout, when no loop got it) reports. Made only
 * while a {@link SubscriptionListener} is set.
 */
final class ItemTally {
    private static final int MODES = Subscriber.Mode.values().length;

    private final PublishItem item;
    private final SubscriptionListener listener;
    private final AtomicIntegerArray receivers = new AtomicIntegerArray(MODES);
    /** Loops still to report, plus one held by the fanout until it has sent every delivery. */
    private final AtomicInteger pending = new AtomicInteger(1);

    ItemTally(PublishItem item, SubscriptionListener listener) {
        this.item = item;
        this.listener = listener;
    }

    static int[] newCounts() {
        return new int[MODES];
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
            int[] total = new int[MODES];
            for (int m = 0; m < MODES; m++) {
                total[m] = receivers.get(m);
            }
            listener.delivered(item, total);
        }
    }
}
