package org.pushpin.hub;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Id de-duplication and {@code prev-id} ordering (docs/publishing.md#sequencing), with Pushpin 1.36's rules.
 * Everything runs on the hub's one thread ({@code executor}), so nothing here locks; only {@link #lastId} and
 * {@link #forgetLastId} may be called from other threads (holds check a channel's last id when they start).
 *
 * <p>Differences from Pushpin: a waiting item is released exactly {@code message_wait} ms after it arrived (Pushpin
 * checks once a second, so up to a second later); the last-id table is capped at 1,000,000 channels by evicting an
 * arbitrary entry rather than the least recently used one.
 */
final class Sequencer {
    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
    static final int CHANNEL_PENDING_MAX = 100;
    static final int LAST_IDS_MAX = 1_000_000;

    private record IdKey(String channel, String id) {
    }

    private record SeenId(IdKey key, long expires) {
    }

    /** Where items go once they may be fanned out, each with its publisher's report (null when none asked). */
    interface Ready {
        void accept(PublishItem item, ReportedPublish.Item report);
    }

    private static final class Pending {
        final PublishItem item;
        final ReportedPublish.Item report;
        final long arrived;
        boolean done;

        Pending(PublishItem item, ReportedPublish.Item report, long arrived) {
            this.item = item;
            this.report = report;
            this.arrived = arrived;
        }
    }

    private final EventExecutor executor;
    private final Ready ready;
    // hub thread, as everything here but the last ids; changed on SIGHUP by a task on that thread
    private long waitNanos;
    private long idTtlNanos;
    private final Map<String, String> lastIds = new ConcurrentHashMap<>();
    private final HashMap<IdKey, SeenId> seen = new HashMap<>();
    private final ArrayDeque<SeenId> seenOrder = new ArrayDeque<>();
    private final HashMap<String, HashMap<String, Pending>> pendingByChannel = new HashMap<>();
    /** Every waiting item in arrival order (= expiry order); released ones are marked done and skipped. */
    private final ArrayDeque<Pending> pendingByTime = new ArrayDeque<>();
    private ScheduledFuture<?> expiry;
    private final ServerMetrics metrics;

    Sequencer(EventExecutor executor, int messageWaitMillis, int idCacheTtlSeconds, ServerMetrics metrics,
              Ready ready) {
        this.executor = executor;
        this.metrics = metrics;
        this.ready = ready;
        limits(messageWaitMillis, idCacheTtlSeconds);
    }

    /**
     * {@code message_wait} and {@code id_cache_ttl}, on the hub thread. Waiting items are measured against the new
     * wait from the next expiry check on (at the latest the one already scheduled); ids already remembered keep
     * their time, new ones get the new ttl.
     */
    void limits(int messageWaitMillis, int idCacheTtlSeconds) {
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, messageWaitMillis));
        this.idTtlNanos = TimeUnit.SECONDS.toNanos(Math.max(0, idCacheTtlSeconds));
    }

    /**
     * Takes one published item; {@code seq}: the channel has local subscribers and the item is not no-seq;
     * {@code report}: where its publisher hears what became of it, or null.
     */
    void add(PublishItem item, boolean seq, ReportedPublish.Item report) {
        if (item.id() != null && idTtlNanos > 0 && isDuplicate(item)) {
            discard(report, ServerMetrics.Drop.DUPLICATE_ID);
            LOG.debug("dropping item with duplicate id channel={} id={}", item.channel(), item.id());
            return;
        }
        if (!seq) {
            ready.accept(item, report);
            return;
        }
        String lastId = lastIds.get(item.channel());
        if (lastId != null && item.prevId() != null && !lastId.equals(item.prevId())) {
            HashMap<String, Pending> waiting = pendingByChannel.computeIfAbsent(item.channel(), k -> new HashMap<>());
            if (waiting.containsKey(item.prevId())) {
                discard(report, ServerMetrics.Drop.SEQUENCE);
                LOG.debug("sequencer: already have item for channel [{}] depending on prev-id [{}], dropping",
                        item.channel(), item.prevId());
                return;
            }
            if (waiting.size() >= CHANNEL_PENDING_MAX) {
                discard(report, ServerMetrics.Drop.SEQUENCE);
                LOG.debug("sequencer: too many pending items for channel [{}], dropping", item.channel());
                return;
            }
            Pending p = new Pending(item, report, System.nanoTime());
            waiting.put(item.prevId(), p);
            pendingByTime.add(p);
            if (expiry == null) {
                expiry = executor.schedule(this::expire, waitNanos, TimeUnit.NANOSECONDS);
            }
            return;
        }
        send(item, report);
    }

    /** An item is not fanned out: counted, and its publisher told when it asked. */
    private void discard(ReportedPublish.Item report, ServerMetrics.Drop reason) {
        metrics.dropped(reason, 1);
        if (report != null) {
            report.discarded(reason);
        }
    }

    /** The channel lost its last subscriber: its waiting items and last id are dropped. */
    void clear(String channel) {
        lastIds.remove(channel);
        HashMap<String, Pending> waiting = pendingByChannel.remove(channel);
        if (waiting != null) {
            for (Pending p : waiting.values()) {
                p.done = true;
                discard(p.report, ServerMetrics.Drop.SEQUENCE);
            }
            LOG.debug("sequencer: channel [{}] unsubscribed, dropping {} waiting items", channel, waiting.size());
        }
    }

    /** {@code recover}: forget every channel's last id (waiting items stay). */
    void forgetLastIds() {
        lastIds.clear();
    }

    String lastId(String channel) {
        return lastIds.get(channel);
    }

    void forgetLastId(String channel) {
        lastIds.remove(channel);
    }

    int waiting() {
        int n = 0;
        for (HashMap<String, Pending> m : pendingByChannel.values()) {
            n += m.size();
        }
        return n;
    }

    private boolean isDuplicate(PublishItem item) {
        long now = System.nanoTime();
        while (!seenOrder.isEmpty() && seenOrder.peekFirst().expires - now <= 0) {
            SeenId old = seenOrder.pollFirst();
            seen.remove(old.key(), old);
        }
        IdKey key = new IdKey(item.channel(), item.id());
        if (seen.containsKey(key)) {
            return true;
        }
        SeenId s = new SeenId(key, now + idTtlNanos);
        seen.put(key, s);
        seenOrder.addLast(s);
        return false;
    }

    private void send(PublishItem item, ReportedPublish.Item report) {
        setLastId(item);
        ready.accept(item, report);
        HashMap<String, Pending> waiting = pendingByChannel.get(item.channel());
        if (waiting == null) {
            return;
        }
        // Release the chain of items that waited for this one, in order.
        String id = item.id();
        while (id != null && !waiting.isEmpty()) {
            Pending p = waiting.remove(id);
            if (p == null) {
                break;
            }
            p.done = true;
            setLastId(p.item);
            ready.accept(p.item, p.report);
            id = p.item.id();
        }
        if (waiting.isEmpty()) {
            pendingByChannel.remove(item.channel(), waiting);
        }
    }

    private void setLastId(PublishItem item) {
        if (item.id() == null) {
            lastIds.remove(item.channel());
            return;
        }
        if (lastIds.put(item.channel(), item.id()) == null && lastIds.size() > LAST_IDS_MAX) {
            Iterator<String> it = lastIds.keySet().iterator();
            while (lastIds.size() > LAST_IDS_MAX && it.hasNext()) {
                if (!it.next().equals(item.channel())) {
                    it.remove();
                }
            }
        }
    }

    private void expire() {
        expiry = null;
        long now = System.nanoTime();
        Pending head;
        while ((head = pendingByTime.peekFirst()) != null) {
            if (head.done) {
                pendingByTime.pollFirst();
                continue;
            }
            if (now - head.arrived < waitNanos) {
                break;
            }
            pendingByTime.pollFirst();
            head.done = true;
            String channel = head.item.channel();
            HashMap<String, Pending> waiting = pendingByChannel.get(channel);
            if (waiting != null) {
                waiting.remove(head.item.prevId(), head);
                if (waiting.isEmpty()) {
                    pendingByChannel.remove(channel);
                }
            }
            LOG.debug("timing out item channel=[{}] id=[{}]", channel, head.item.id());
            send(head.item, head.report);
        }
        if (head != null) {
            expiry = executor.schedule(this::expire, head.arrived + waitNanos - now, TimeUnit.NANOSECONDS);
        }
    }
}
