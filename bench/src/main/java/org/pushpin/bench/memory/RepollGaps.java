package org.pushpin.bench.memory;

import java.util.Arrays;
import java.util.Locale;

/**
 * How long long-poll clients took to come back: a client re-polls with {@code ?after=T}, T being
 * {@link System#nanoTime()} when its previous response ended, and the origin records now - T when the re-poll
 * reaches it. Both ends are JVMs on one Linux machine, whose nanoTime is the system-wide monotonic clock, so the
 * two readings compare. {@code GET /repoll} reads the gaps recorded since the last read and starts afresh.
 */
final class RepollGaps {
    private long[] micros = new long[1024];
    private int count;

    /** Records the gap for a request URI carrying {@code after=}; other URIs are ignored. */
    synchronized void record(String uri) {
        int at = uri.indexOf("after=");
        if (at < 0) {
            return;
        }
        int end = uri.indexOf('&', at);
        long after;
        try {
            after = Long.parseLong(uri.substring(at + "after=".length(), end < 0 ? uri.length() : end));
        } catch (NumberFormatException e) {
            return;
        }
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = Math.max(0, (System.nanoTime() - after) / 1000);
    }

    /** {@code count=C p50_ms=.. p99_ms=.. max_ms=..} of the gaps since the last read, then forgets them. */
    synchronized String readAndReset() {
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        String s = String.format(Locale.ROOT, "count=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", count,
                quantile(sorted, 0.5), quantile(sorted, 0.99), count == 0 ? 0 : sorted[count - 1] / 1000.0);
        count = 0;
        return s;
    }

    private static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
}
