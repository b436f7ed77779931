package org.pushpin.metrics;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that can repeat at a great rate under overload (deliveries dropped, slow clients cut): logged at most
 * once per interval, with how many like it were left out since; the counts themselves are in the metrics. Any
 * thread; lock-free.
 */
public final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong skipped = new AtomicLong();

    public ThrottledLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code message} (an SLF4J pattern) now, or counts it when one was logged within the interval. */
    public void warn(String message, Object... args) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
            skipped.incrementAndGet();
            return;
        }
        long n = skipped.getAndSet(0);
        if (n > 0) {
            log.warn(message + " (and " + n + " more like it since the last)", args);
        } else {
            log.warn(message, args);
        }
    }
}
