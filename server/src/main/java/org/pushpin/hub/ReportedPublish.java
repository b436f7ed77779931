package org.pushpin.hub;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.metrics.ServerMetrics.Drop;
import org.pushpin.publish.DeliveryReport;

/**
 * One publish whose publisher asked what became of its items ({@link Hub#publishReporting}): an {@link Item} per
 * published item, which the sequencer and the fanout fill in, and a future that completes when the last of them is
 * done. Made only for such publishes; nothing here is touched per delivery (an item's deliveries are summed by its
 * {@link ItemTally}, once per loop).
 */
final class ReportedPublish {
    private final Item[] items;
    private final AtomicInteger left;
    final CompletableFuture<DeliveryReport> done = new CompletableFuture<>();

    ReportedPublish(int size) {
        items = new Item[size];
        for (int i = 0; i < size; i++) {
            items[i] = new Item();
        }
        left = new AtomicInteger(size);
        if (size == 0) {
            complete();
        }
    }

    Item item(int index) {
        return items[index];
    }

    private void complete() {
        List<DeliveryReport.Item> out = new ArrayList<>(items.length);
        for (Item i : items) {
            Map<Drop, Long> dropped = new EnumMap<>(Drop.class);
            for (Drop d : Drop.values()) {
                if (i.dropped[d.ordinal()] != 0) {
                    dropped.put(d, i.dropped[d.ordinal()]);
                }
            }
            out.add(new DeliveryReport.Item(i.receivers, dropped, i.discarded));
        }
        done.complete(new DeliveryReport(out));
    }

    /**
     * What became of one item. Written on the hub thread only (the fanout, the sequencer); read by whoever finishes
     * the last item, after the atomic countdown that orders those writes before the read.
     */
    final class Item {
        private int receivers;
        private final long[] dropped = new long[Drop.values().length];
        private Drop discarded;
        private final AtomicBoolean finished = new AtomicBoolean();

        /** The fanout found {@code n} more subscribers of the item's channel on a loop. */
        void receivers(int n) {
            receivers += n;
        }

        /** {@code n} deliveries of the item were lost for {@code reason}. */
        void dropped(Drop reason, long n) {
            dropped[reason.ordinal()] += n;
        }

        /** The item is not fanned out at all: it is done. */
        void discarded(Drop reason) {
            discarded = reason;
            finished();
        }

        /** Nothing more will be known of this item (the first call counts, later ones are ignored). */
        void finished() {
            if (finished.compareAndSet(false, true) && left.decrementAndGet() == 0) {
                complete();
            }
        }
    }
}
