package org.pushpin.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in microseconds, recorded lock-free from every event loop. Buckets are exact below 128 µs and then
 * log-linear with 64 sub-buckets per power of two, so a percentile is at most 1/64 (1.6%) above the true value; the
 * maximum is exact. Fixed size (~18 KB), so millions of deliveries cost no memory.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_BITS = 40; // ~12 days in µs: anything above is clamped
    private static final int BUCKETS = (MAX_BITS - SUB_BITS + 2) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    void recordNanos(long nanos) {
        record(Math.max(0, nanos / 1000));
    }

    void record(long micros) {
        long v = Math.min(Math.max(micros, 0), (1L << MAX_BITS) - 1);
        counts.incrementAndGet(index(v));
        count.increment();
        if (v > max.get()) {
            max.accumulateAndGet(v, Math::max);
        }
    }

    long count() {
        return count.sum();
    }

    long maxMicros() {
        return max.get();
    }

    /** The {@code q} quantile (0..1] in µs: the upper edge of the bucket holding that rank, never above the max. */
    long percentileMicros(double q) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upper(i), maxMicros());
            }
        }
        return maxMicros();
    }

    double percentileMs(double q) {
        return percentileMicros(q) / 1000.0;
    }

    double maxMs() {
        return maxMicros() / 1000.0;
    }

    /** Adds every recording of {@code other} (which must no longer be recording). */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        count.add(other.count());
        max.accumulateAndGet(other.maxMicros(), Math::max);
    }

    static int index(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;
        return shift * SUB + (int) (v >>> shift);
    }

    static long upper(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = index / SUB - 1;
        long mantissa = index % SUB + SUB;
        return ((mantissa + 1) << shift) - 1;
    }
}
