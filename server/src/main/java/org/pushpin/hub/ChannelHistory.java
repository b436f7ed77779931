package org.pushpin.hub;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pushpin.config.HistoryConfig;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.HistoryMetrics;

/**
 * The last {@code history_size} fanned-out items of each channel, each for at most {@code history_ttl} seconds
 * (docs/history.md). Lives on the hub thread, where fanout is sequenced, so nothing here locks. It keeps the very
 * {@link Published} that live delivery hands to the loops: the encoded bytes are shared, never copied.
 *
 * <p>Bounded: at most {@code size} items per channel (the oldest goes when a new one comes), none older than the ttl
 * (dropped lazily when a channel is written or read, and by one housekeeping task on the hub thread, never a timer
 * per item). A channel whose items are all gone leaves the map. Cost per kept item beyond its encoded bytes: one
 * deque slot, the {@link Published} (with its {@code seq}) and its array of encodings; docs/history.md gives the
 * measured figure ({@code ChannelHistoryTest#overheadPerItem}).
 */
final class ChannelHistory {
    private final int size;
    private final long ttlNanos;
    private final HistoryMetrics metrics;
    private final HashMap<String, ArrayDeque<Published>> channels = new HashMap<>();
    private long lastSeq;

    /** What a resume gets: the items after its id (oldest first), or null items when the id was not held. */
    record After(List<Published> items, long upTo) {
        boolean found() {
            return items != null;
        }
    }

    ChannelHistory(HistoryConfig config, HistoryMetrics metrics) {
        this.size = config.size();
        this.ttlNanos = TimeUnit.SECONDS.toNanos(config.ttlSeconds());
        this.metrics = metrics;
    }

    /** History per {@code config} with its housekeeping on {@code hub}'s thread, or null when it is off. */
    static ChannelHistory of(HistoryConfig config, EventExecutor hub, HistoryMetrics metrics) {
        if (!config.on()) {
            return null;
        }
        ChannelHistory h = new ChannelHistory(config, metrics);
        long period = Math.max(250, Math.min(5000, config.ttlSeconds() * 250L));
        hub.scheduleAtFixedRate(() -> h.prune(System.nanoTime()), period, period, TimeUnit.MILLISECONDS);
        return h;
    }

    /** Encodes {@code item} once (as live delivery would) and keeps it; the same instance goes to the loops. */
    Published record(PublishItem item, DeliveryKind<?>[] kinds, long arrivedNanos) {
        Published p = new Published(item, kinds, arrivedNanos);
        p.seq = ++lastSeq;
        ArrayDeque<Published> q = channels.computeIfAbsent(item.channel(), k -> new ArrayDeque<>());
        q.addLast(p);
        metrics.kept(1, contentBytes(item));
        if (q.size() > size) {
            drop(q.pollFirst());
        }
        expire(q, System.nanoTime());
        return p;
    }

    /**
     * The items of {@code channel} after the one whose id is {@code id} (the newest such item), oldest first;
     * {@code upTo} is the newest position the history had (a live delivery at or before it is already covered).
     * Not found (never published, expired, pushed out): null items, counted as a miss.
     */
    After after(String channel, String id) {
        ArrayDeque<Published> q = live(channel);
        if (q != null) {
            ArrayList<Published> later = new ArrayList<>();
            Iterator<Published> it = q.descendingIterator();
            while (it.hasNext()) {
                Published p = it.next();
                if (id.equals(p.item().id())) {
                    java.util.Collections.reverse(later);
                    return new After(later, lastSeq);
                }
                if (replayable(p.item())) {
                    later.add(p);
                }
            }
        }
        return new After(null, lastSeq);
    }

    /**
     * Whether a resuming client gets {@code item} again: not a close. A close ended the connections open when it
     * was published; replayed, it would end the very connection that came back, and again at each reconnect.
     */
    private static boolean replayable(PublishItem item) {
        return !item.closes();
    }

    /** The newest position given out so far (0 before the first item). */
    long lastSeq() {
        return lastSeq;
    }

    /** Counts a lookup that found nothing (once per client request, however many channels it asked). */
    void missed() {
        metrics.missed();
    }

    void replayed(int n) {
        metrics.replayed(n);
    }

    /** The housekeeping: every channel's expired items go, and channels left empty. */
    void prune(long now) {
        Iterator<ArrayDeque<Published>> it = channels.values().iterator();
        while (it.hasNext()) {
            ArrayDeque<Published> q = it.next();
            expire(q, now);
            if (q.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Items held now, all channels (tests). */
    int items() {
        int n = 0;
        for (ArrayDeque<Published> q : channels.values()) {
            n += q.size();
        }
        return n;
    }

    private ArrayDeque<Published> live(String channel) {
        ArrayDeque<Published> q = channels.get(channel);
        if (q != null) {
            expire(q, System.nanoTime());
            if (q.isEmpty()) {
                channels.remove(channel);
                return null;
            }
        }
        return q;
    }

    /** Items arrive in (nearly) time order, so the expired ones are at the head. */
    private void expire(ArrayDeque<Published> q, long now) {
        Published head;
        while ((head = q.peekFirst()) != null && now - head.arrivedNanos() >= ttlNanos) {
            drop(q.pollFirst());
        }
    }

    private void drop(Published p) {
        metrics.kept(-1, contentBytes(p.item()));
    }

    /** The content bytes of every format the item has (what its encodings share). */
    static long contentBytes(PublishItem item) {
        long n = 0;
        if (item.httpResponse() != null && item.httpResponse().body() != null) {
            n += item.httpResponse().body().length;
        }
        if (item.httpStream() != null && item.httpStream().content() != null) {
            n += item.httpStream().content().length;
        }
        if (item.wsMessage() != null && item.wsMessage().content() != null) {
            n += item.wsMessage().content().length;
        }
        return n;
    }
}
