package org.pushpin.publish;

import java.util.List;
import java.util.Map;
import org.pushpin.metrics.ServerMetrics.Drop;

/**
 * What became of the items of one publish on this instance, for a publisher that asked
 * ({@link Publisher#publishReporting}; the control API's {@code ?report=drops}, docs/publishing.md#drop-reports).
 * Complete once every item was fanned out and each delivery it got ran on its event loop, or the item was discarded;
 * a report taken before ({@link #complete} false) has null {@link Item#outcomes} for the items not done yet.
 *
 * @param items     one entry per published item, in the order they were sent
 * @param complete  every item's counts are in (false: the wait for them ended first)
 * @param instances the instances whose counts are summed here, or were waited for (1 without a cluster broker)
 */
public record DeliveryReport(List<Item> items, boolean complete, int instances) {
    public DeliveryReport {
        items = List.copyOf(items);
    }

    public DeliveryReport(List<Item> items, boolean complete) {
        this(items, complete, 1);
    }

    public DeliveryReport(List<Item> items) {
        this(items, true);
    }

    /**
     * One item.
     *
     * @param receivers subscribers of its channel on this instance when it was fanned out (0 when discarded) that
     *                  its formats reach
     * @param dropped   deliveries of it that were lost, by reason (only reasons with a count; the same reasons and
     *                  units as {@code pushpin_dropped_total})
     * @param discarded why the item itself was not fanned out ({@code DUPLICATE_ID}, {@code SEQUENCE}), or null
     * @param outcomes  what became of it at each subscriber (docs/delivery-feedback.md); {@link Outcomes#NONE}
     *                  while nothing is known
     * @param complete  every instance that fanned it out answered in time
     */
    public record Item(int receivers, Map<Drop, Long> dropped, Drop discarded, Outcomes outcomes, boolean complete) {
        public Item {
            dropped = Map.copyOf(dropped);
        }

        public Item(int receivers, Map<Drop, Long> dropped, Drop discarded) {
            this(receivers, dropped, discarded, Outcomes.NONE, true);
        }

        /** Deliveries of this item lost, all reasons together. */
        public long droppedTotal() {
            long n = 0;
            for (long v : dropped.values()) {
                n += v;
            }
            return n;
        }
    }

    /**
     * What became of one item at each subscriber on this instance (docs/delivery-feedback.md); each subscriber of
     * its channel is counted once, in one of these or in the item's {@code message_hwm} drops.
     *
     * @param delivered   handed to Netty while the connection was open and within its limits, or its action done
     * @param filtered    not for that subscriber (GRIP filters, a format it does not take, ...)
     * @param deferred    handed to filters that call the origin, which decide later
     * @param slowClient  dropped: the client could not keep up and was cut
     * @param closed      dropped: the connection had already ended
     * @param filterError dropped: a content filter failed and ended the session
     */
    public record Outcomes(int delivered, int filtered, int deferred, int slowClient, int closed, int filterError) {
        public static final Outcomes NONE = new Outcomes(0, 0, 0, 0, 0, 0);

        /** Subscribers counted here. */
        public int total() {
            return delivered + filtered + deferred + slowClient + closed + filterError;
        }

        public Outcomes plus(Outcomes o) {
            return new Outcomes(delivered + o.delivered, filtered + o.filtered, deferred + o.deferred,
                    slowClient + o.slowClient, closed + o.closed, filterError + o.filterError);
        }
    }

    /** Deliveries lost over all items. */
    public long dropped() {
        long n = 0;
        for (Item i : items) {
            n += i.droppedTotal();
        }
        return n;
    }

    /** Items not fanned out at all. */
    public int discarded() {
        int n = 0;
        for (Item i : items) {
            if (i.discarded() != null) {
                n++;
            }
        }
        return n;
    }
}
