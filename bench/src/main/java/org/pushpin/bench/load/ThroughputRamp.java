package org.pushpin.bench.load;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The highest steady delivery rate with nothing lost, for a set of rooms: each step publishes at a target rate
 * (deliveries per second) for a few seconds, in rounds of one item per room, and passes when the rate actually
 * published (a slow control API holds the publisher back) is at least 95% of the target and every delivery arrived
 * by the end of the grace period after the last publish (a server that queues instead of delivering falls behind).
 * {@link RateStepper} picks the targets.
 */
final class ThroughputRamp {
    /**
     * The control APIs refuse bodies over 1,000,000 bytes; an item is ~110. (Nchan: as many messages, one request
     * each, pipelined.)
     */
    private static final int MAX_ITEMS_PER_POST = 2000;
    private static final double PASS_FRACTION = 0.95;

    /** The outcome of one step. */
    record Step(long target, long expected, long received, double published, double p99Ms, boolean pass) {
    }

    /** The best passing step of a ramp, or {@code null} fields when none passed. */
    record Best(long rate, Step step) {
    }

    private final RoomPublisher publisher;
    private final Deliveries deliveries;
    private final double stepSeconds;
    private final long graceNanos;

    ThroughputRamp(RoomPublisher publisher, Deliveries deliveries, double stepSeconds, long graceMillis) {
        this.publisher = publisher;
        this.deliveries = deliveries;
        this.stepSeconds = stepSeconds;
        this.graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMillis);
    }

    /** Ramps for rooms {@code first .. first+count-1}, which hold {@code subscribers} connections together. */
    Best ramp(String label, int first, int count, int subscribers, long startRate, int maxSteps)
            throws IOException, InterruptedException {
        RateStepper stepper = new RateStepper(startRate, 0.1, maxSteps);
        Step best = null;
        while (!stepper.done()) {
            Step s = step(first, count, subscribers, stepper.current());
            Log.line("  %s: target %d/s, published %.0f/s, %d/%d delivered by the grace, p99 %.1f ms: %s", label,
                    s.target(), s.published(), s.received(), s.expected(), s.p99Ms(), s.pass() ? "pass" : "FAIL");
            stepper.report(s.pass());
            if (s.pass() && (best == null || s.target() > best.target())) {
                best = s;
            }
            if (!s.pass()) {
                awaitQuiet();
            }
        }
        return new Best(stepper.best(), best);
    }

    private Step step(int first, int count, int subscribers, long target) throws IOException, InterruptedException {
        LatencyHistogram h = deliveries.restart();
        double roundsPerSecond = target / (double) subscribers;
        int maxRounds = Math.max(1, MAX_ITEMS_PER_POST / count);
        long start = System.nanoTime();
        long stepNanos = (long) (stepSeconds * 1e9);
        long rounds = 0;
        long now = start;
        for (; now - start < stepNanos; now = System.nanoTime()) {
            long due = (long) ((now - start) / 1e9 * roundsPerSecond) + 1;
            if (due <= rounds) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            int batch = (int) Math.min(due - rounds, maxRounds);
            publisher.rooms(first, count, batch);
            rounds += batch;
        }
        long expected = rounds * subscribers;
        double published = expected / ((now - start) / 1e9);
        long deadline = now + graceNanos;
        while (h.count() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        long received = h.count();
        boolean pass = received >= expected && published >= PASS_FRACTION * target;
        return new Step(target, expected, received, published, h.percentileMs(0.99), pass);
    }

    /**
     * After a failed step the server may still be delivering its backlog (a server that accepts publishes faster than
     * it delivers queues them, up to {@code message_hwm}); wait for it to end (≤ 60 s). The next step counts only
     * its own messages anyway ({@link Deliveries#restart()}), but a backlog would still delay them.
     */
    private void awaitQuiet() throws InterruptedException {
        LatencyHistogram h = deliveries.restartCountingAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (h.count() != last && System.nanoTime() < deadline) {
            last = h.count();
            Thread.sleep(500);
        }
    }
}
