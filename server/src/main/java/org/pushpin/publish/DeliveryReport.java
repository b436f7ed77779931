package org.pushpin.publish;

import java.util.List;
import java.util.Map;
import org.pushpin.metrics.ServerMetrics.Drop;

/**
 * What became of the items of one publish on this instance, for a publisher that asked
 * ({@link Publisher#publishReporting}; the control API's {@code ?report=drops}, docs/publishing.md#drop-reports).
 * Complete once every item was fanned out and each delivery it got ran on its event loop, or the item was discarded.
 *
 * @param items one entry per published item, in the order they were sent
 */
public record DeliveryReport(List<Item> items) {
    public DeliveryReport {
        items = List.copyOf(items);
    }

    /**
     * One item. Made to grow: delivered and filtered counts per item can join these without changing what is here.
     *
     * @param receivers subscribers of its channel on this instance when it was fanned out (0 when discarded)
     * @param dropped   deliveries of it that were lost, by reason (only reasons with a count; the same reasons and
     *                  units as {@code pushpin_dropped_total})
     * @param discarded why the item itself was not fanned out ({@code DUPLICATE_ID}, {@code SEQUENCE}), or null
     */
    public record Item(int receivers, Map<Drop, Long> dropped, Drop discarded) {
        public Item {
            dropped = Map.copyOf(dropped);
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
