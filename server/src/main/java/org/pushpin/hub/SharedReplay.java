package org.pushpin.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.pushpin.broker.KeptHistory;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.HistoryMetrics;

/**
 * Resume lookups in a history the broker keeps for every instance ({@link KeptHistory}, docs/history.md): the
 * answers become {@link Published} items (encoded here, once per resuming client) and a {@link HistoryReplay} whose
 * {@code ids} let the {@link ResumeGate} drop the live copies of replayed items: positions of this instance's fanout
 * mean nothing for items it never fanned out. Counts misses and replays as the local history does.
 */
final class SharedReplay {
    private final KeptHistory kept;
    private final DeliveryKind<?>[] kinds;
    private final HistoryMetrics metrics;

    SharedReplay(KeptHistory kept, DeliveryKind<?>[] kinds, HistoryMetrics metrics) {
        this.kept = kept;
        this.kinds = kinds;
        this.metrics = metrics;
    }

    /** Every item after {@code lastId} on each channel that keeps it, in publish order. */
    CompletableFuture<HistoryReplay> after(String[] channels, String lastId) {
        String[] ids = new String[channels.length];
        java.util.Arrays.fill(ids, lastId);
        return lookup(channels, ids).thenApply(found -> {
            if (found.isEmpty()) {
                metrics.missed();
                return replay(List.of(), false);
            }
            List<KeptHistory.Kept> items = new ArrayList<>();
            for (List<KeptHistory.Kept> l : found) {
                items.addAll(l);
            }
            if (found.size() > 1) {
                items.sort(Comparator.comparingLong(KeptHistory.Kept::millis)
                        .thenComparingLong(KeptHistory.Kept::sequence));
            }
            metrics.replayed(items.size());
            return replay(items, true);
        });
    }

    /** Long-poll: the first item with an {@code http-response} after a channel's prev-id; the first channel wins. */
    CompletableFuture<HistoryReplay> next(String[] channels, String[] prevIds) {
        return lookup(channels, prevIds).thenApply(found -> {
            int asked = 0;
            for (String p : prevIds) {
                asked += p == null ? 0 : 1;
            }
            if (found.size() < asked) {
                metrics.missed();
            }
            for (List<KeptHistory.Kept> l : found) {
                for (KeptHistory.Kept k : l) {
                    if (k.item().httpResponse() != null) {
                        metrics.replayed(1);
                        return replay(List.of(k), true);
                    }
                }
            }
            return replay(List.of(), !found.isEmpty());
        });
    }

    /** The answers of the channels whose id was found, in channel order. */
    private CompletableFuture<List<List<KeptHistory.Kept>>> lookup(String[] channels, String[] ids) {
        List<CompletableFuture<List<KeptHistory.Kept>>> asks = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            if (ids[i] != null) {
                asks.add(kept.after(channels[i], ids[i]).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<List<KeptHistory.Kept>> found = new ArrayList<>();
            for (CompletableFuture<List<KeptHistory.Kept>> a : asks) {
                List<KeptHistory.Kept> l = a.join();
                if (l != null) {
                    found.add(l);
                }
            }
            return found;
        });
    }

    private HistoryReplay replay(List<KeptHistory.Kept> items, boolean found) {
        List<Published> out = new ArrayList<>(items.size());
        Set<String> ids = new HashSet<>();
        long now = System.nanoTime();
        for (KeptHistory.Kept k : items) {
            PublishItem item = k.item();
            out.add(new Published(item, kinds, now));
            if (item.id() != null) {
                ids.add(item.id());
            }
        }
        return new HistoryReplay(List.copyOf(out), Long.MIN_VALUE, found, ids);
    }
}
