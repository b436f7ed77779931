package org.pushpin.hub;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.metrics.ServerMetrics;
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

    private final ServerMetrics metrics;

    ReportedPublish(int size, ServerMetrics metrics) {
        this.metrics = metrics;
        items = new Item[size];
        for (int i = 0; i < size; i++) {
            items[i] = new Item();
        }
        left = new AtomicInteger(size);
        if (size == 0) {
            complete();
        }
    }

    /** After {@code millis}, the publisher is answered with what is known by then (a report not complete). */
    void giveUpAfter(ScheduledExecutorService timer, long millis) {
        ScheduledFuture<?> t = timer.schedule(() -> {
            done.complete(report());
        }, millis, TimeUnit.MILLISECONDS);
        done.whenComplete((r, e) -> t.cancel(false));
    }

    Item item(int index) {
        return items[index];
    }

    private void complete() {
        done.complete(report());
    }

    /**
     * What is known now, from any thread: the items done in full, the others with null outcomes (a publisher whose
     * wait ended first). Complete once every item is done.
     */
    DeliveryReport report() {
        List<DeliveryReport.Item> out = new ArrayList<>(items.length);
        boolean all = true;
        for (Item i : items) {
            if (!i.finished.get()) {
                all = false;
                out.add(new DeliveryReport.Item(0, Map.of(), null, DeliveryReport.Outcomes.NONE, false));
                continue;
            }
            Map<Drop, Long> dropped = new EnumMap<>(Drop.class);
            for (Drop d : Drop.values()) {
                if (i.dropped[d.ordinal()] != 0) {
                    dropped.put(d, i.dropped[d.ordinal()]);
                }
            }
            out.add(new DeliveryReport.Item(i.receivers, dropped, i.discarded, i.outcomes(), true));
        }
        return new DeliveryReport(out, all);
    }

    /**
     * What became of one item. Written on the hub thread only (the fanout, the sequencer); read by whoever finishes
     * the last item, after the atomic countdown that orders those writes before the read.
     */
    final class Item {
        private int receivers;
        private final long[] dropped = new long[Drop.values().length];
        private Drop discarded;
        /** Subscribers here that the item has no format for (filtered without being offered it). */
        private int unformatted;
        /** Outcomes by mode ({@link ItemTally#at}), summed over the loops; null until they all reported. */
        private int[] outcomes;
        private final AtomicBoolean finished = new AtomicBoolean();

        /** The fanout found {@code n} more subscribers of the item's channel on a loop. */
        void receivers(int n) {
            receivers += n;
        }

        /** {@code n} subscribers of the channel on a loop take none of the item's formats. */
        void unformatted(int n) {
            if (n > 0) {
                unformatted += n;
            }
        }

        /** What became of the item at the subscribers it was offered to, by mode ({@link ItemTally#at}). */
        void outcomes(int[] byModeAndOutcome) {
            outcomes = byModeAndOutcome;
        }

        private DeliveryReport.Outcomes outcomes() {
            int[] t = new int[DeliveryOutcome.values().length];
            if (outcomes != null) {
                for (int k = 0; k < outcomes.length; k++) {
                    t[k % t.length] += outcomes[k];
                }
            }
            return new DeliveryReport.Outcomes(t[DeliveryOutcome.DELIVERED.ordinal()],
                    t[DeliveryOutcome.FILTERED.ordinal()] + unformatted, t[DeliveryOutcome.DEFERRED.ordinal()],
                    t[DeliveryOutcome.SLOW_CLIENT.ordinal()], t[DeliveryOutcome.CLOSED.ordinal()],
                    t[DeliveryOutcome.FILTER_ERROR.ordinal()]);
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
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            if (outcomes != null) {
                DeliveryReport.Outcomes o = outcomes();
                metrics.feedback().add(o.delivered(), o.filtered(), o.deferred(), o.slowClient(), o.closed(),
                        o.filterError());
            }
            if (left.decrementAndGet() == 0) {
                complete();
            }
        }
    }
}
