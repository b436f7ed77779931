package org.pushpin.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the channel history holds and how resumes went (docs/history.md). The gauges are written on the hub thread
 * only and read by the metrics endpoint; all stay 0 while history is off.
 */
public final class HistoryMetrics {
    private final LongAdder items = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder replayed = new LongAdder();

    /** An item of {@code size} content bytes was kept ({@code +1}) or let go ({@code -1}). */
    public void kept(int sign, long size) {
        items.add(sign);
        bytes.add(sign * size);
    }

    /** A resume or long-poll asked for an id the history does not hold (unknown, expired or pushed out). */
    public void missed() {
        misses.increment();
    }

    /** {@code n} items were replayed to one resuming client. */
    public void replayed(int n) {
        replayed.add(n);
    }

    public long items() {
        return items.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long replayed() {
        return replayed.sum();
    }
}
