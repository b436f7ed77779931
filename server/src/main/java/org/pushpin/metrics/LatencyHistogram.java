package org.pushpin.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed buckets (seconds, Prometheus' classic default bounds from 0.5 ms to 10 s): one
 * {@link LongAdder} per bucket, so loops record without contending. Prometheus reads it through a collector of its
 * own (monitor package); this layer does not depend on a metrics library.
 */
public final class LatencyHistogram {
    /** Upper bounds in seconds; a last bucket (+Inf) takes the rest. */
    private static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = (long) (BOUNDS[i] * 1e9);
        }
    }

    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void observeNanos(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(n);
    }

    /** The upper bounds in seconds, without +Inf (a copy). */
    public static double[] bounds() {
        return BOUNDS.clone();
    }

    /** Count per bucket (not cumulative), the last for +Inf. */
    public long[] counts() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return c;
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
