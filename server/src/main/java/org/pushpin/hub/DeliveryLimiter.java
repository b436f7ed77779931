package org.pushpin.hub;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;

/**
 * {@code message_rate} and {@code message_hwm} (docs/publishing.md#rate-limits), counted in deliveries (receivers) as
 * Pushpin does, with an allowance of its own for each route with an explicit {@code id} and one shared by every
 * route without one (Pushpin keys its limiter the same way). Runs on the hub's thread, except the counters.
 *
 * <p>The high-water mark bounds the weight of deliveries admitted but not yet run: queued here for the rate, or
 * handed to an event loop that has not got to them yet. What does not fit is dropped, counted and logged
 * ({@code exceeded publish hwm}). The rate runs in batches every 25 ms (slower rates: one delivery per
 * 1000/rate ms), as Pushpin's; a whole per-loop fanout goes at once and a batch that overshoots is paid back by the
 * next batches, so the long-run rate holds.
 */
final class DeliveryLimiter {
    private static final int MIN_BATCH_INTERVAL_MS = 25;

    private final EventExecutor executor;
    // hub thread only, like everything here but the counters: changed on SIGHUP by a task on that thread
    private int hwm;
    private int rate;
    private long batchIntervalMs;
    private long batchSize;
    private int blockSize;
    /** The shared allowance (key "") and one per route id that had a delivery; as many as the routes have ids. */
    private final HashMap<String, Bucket> buckets = new HashMap<>();
    /** Weight admitted but not yet run, all routes together. */
    final AtomicLong queued = new AtomicLong();
    private final ServerMetrics metrics;

    DeliveryLimiter(EventExecutor executor, int messageRate, int messageHwm, int messageBlockSize,
                    ServerMetrics metrics) {
        this.executor = executor;
        this.metrics = metrics;
        limits(messageRate, messageHwm, messageBlockSize);
    }

    /** True while neither a rate nor a high-water mark is set: a fanout need not be split by route. */
    boolean unlimited() {
        return rate <= 0 && hwm <= 0;
    }

    /**
     * {@code message_rate}, {@code message_hwm} and {@code message_block_size}; on the hub thread. A new rate holds
     * from the next batch on (deliveries waiting for it go at once when the rate is lifted); a new high-water mark
     * and block size from the next delivery offered.
     */
    void limits(int messageRate, int messageHwm, int messageBlockSize) {
        boolean wasLimited = rate > 0;
        this.hwm = messageHwm;
        this.blockSize = messageBlockSize;
        if (messageRate > 0) {
            rate = messageRate;
            if (rate >= 1000 / MIN_BATCH_INTERVAL_MS) {
                batchIntervalMs = MIN_BATCH_INTERVAL_MS;
                batchSize = (rate * (long) batchIntervalMs + 999) / 1000;
            } else {
                batchIntervalMs = 1000 / rate;
                batchSize = 1;
            }
        } else {
            rate = -1;
            batchIntervalMs = -1;
            batchSize = -1;
        }
        for (Bucket b : buckets.values()) {
            b.limitsChanged(wasLimited);
        }
    }

    /** What one receiver of {@code item} weighs against the high-water mark: 1, or its size in blocks. */
    int unitWeight(PublishItem item) {
        if (blockSize <= 0) {
            return 1;
        }
        long size = item.size();
        if (size < 0) {
            size = 0;
            if (item.httpResponse() != null && item.httpResponse().body() != null) {
                size = Math.max(size, item.httpResponse().body().length);
            }
            if (item.httpStream() != null && item.httpStream().content() != null) {
                size = Math.max(size, item.httpStream().content().length);
            }
            if (item.wsMessage() != null && item.wsMessage().content() != null) {
                size = Math.max(size, item.wsMessage().content().length);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, (size + blockSize - 1) / blockSize);
    }

    /**
     * Admits what fits under the high-water mark of {@code route}'s allowance ({@code ""}: the shared one), then
     * sends it now or when the rate allows. What did not fit is {@code d.receivers - d.cap} afterwards. Returns
     * false when nothing fitted: {@code d} will never run.
     */
    boolean offer(Delivery d, String route) {
        Bucket b = buckets.get(route);
        if (b == null) {
            b = new Bucket(route);
            buckets.put(route, b);
        }
        d.bucket = b;
        return b.offer(d);
    }

    /** A delivery ran on its loop (any thread): its weight leaves the queue. */
    void done(Delivery d) {
        Bucket b = d.bucket;
        if (b != null) {
            b.queued.addAndGet(-d.weight());
        }
        queued.addAndGet(-d.weight());
    }

    /** One allowance: what waits for the rate, the credit of this interval, the weight in flight. */
    final class Bucket {
        private final String route;
        private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
        private final Runnable batchTask = this::batch;
        private long credit = batchSize;
        private boolean batchScheduled;
        final AtomicLong queued = new AtomicLong();

        Bucket(String route) {
            this.route = route;
        }

        void limitsChanged(boolean wasLimited) {
            // a full allowance when the rate starts; a lowered one cannot leave more credit than a batch
            credit = wasLimited ? Math.min(credit, batchSize) : batchSize;
            if (rate <= 0) {
                while (!waiting.isEmpty()) {
                    waiting.poll().dispatch();
                }
            }
        }

        boolean offer(Delivery d) {
            if (hwm > 0) {
                long room = hwm - queued.get();
                if (d.weight() > room) {
                    int fits = d.unitWeight == 0 ? d.receivers : (int) Math.max(0, room / d.unitWeight);
                    int lost = d.receivers - fits;
                    metrics.dropped(ServerMetrics.Drop.MESSAGE_HWM, lost);
                    String channel = d.published.item().channel();
                    if (route.isEmpty()) {
                        metrics.dropWarning(ServerMetrics.Drop.MESSAGE_HWM).warn(
                                "exceeded publish hwm ({}), dropping message (channel={} deliveries dropped={})",
                                hwm, channel, lost);
                    } else {
                        metrics.dropWarning(ServerMetrics.Drop.MESSAGE_HWM).warn(
                                "exceeded publish hwm ({}) for route {}, dropping message"
                                        + " (channel={} deliveries dropped={})", hwm, route, channel, lost);
                    }
                    d.cap = fits;
                    if (fits == 0) {
                        return false;
                    }
                }
            }
            queued.addAndGet(d.weight());
            DeliveryLimiter.this.queued.addAndGet(d.weight());
            if (rate <= 0) {
                d.dispatch();
                return true;
            }
            if (waiting.isEmpty() && credit > 0) {
                // Within this interval's allowance: go now rather than wait for the next batch (up to 25 ms).
                credit -= d.cost();
                d.dispatch();
                scheduleBatch();
                return true;
            }
            waiting.add(d);
            if (!batchScheduled) {
                batch();
            }
            return true;
        }

        private void batch() {
            batchScheduled = false;
            if (rate <= 0) {
                return; // lifted meanwhile: nothing waits any more
            }
            credit = Math.min(credit + batchSize, batchSize);
            while (credit > 0 && !waiting.isEmpty()) {
                Delivery d = waiting.poll();
                credit -= d.cost();
                d.dispatch();
            }
            if (!waiting.isEmpty() || credit < batchSize) {
                scheduleBatch();
            }
        }

        /** The next refill of the allowance (and sending of what waits), one interval from now. */
        private void scheduleBatch() {
            if (!batchScheduled) {
                batchScheduled = true;
                executor.schedule(batchTask, batchIntervalMs, TimeUnit.MILLISECONDS);
            }
        }
    }
}
