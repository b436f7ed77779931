package org.pushpin.bench.load;

/**
 * Where every connection reports the stamps it receives. Each phase of a run {@link #restart() restarts} it and
 * reads latencies and the received count from the histogram it got: only messages published since the restart are
 * counted, so a backlog that a server still delivers from an earlier step never passes for this step's deliveries.
 */
final class Deliveries implements StampScanner.Sink {
    /** A histogram and the earliest stamp it takes; {@code all}: every stamp (to watch a backlog drain). */
    private record Window(LatencyHistogram histogram, long since, boolean all) {
    }

    private volatile Window current = new Window(new LatencyHistogram(), 0, true);

    @Override
    public void stamp(long value) {
        Window w = current;
        if (w.all || value - w.since >= 0) {
            w.histogram.recordNanos(Stamps.now() - value);
        }
    }

    /** A fresh histogram for the messages published from now on. */
    LatencyHistogram restart() {
        return restart(false);
    }

    /** A fresh histogram that counts every delivery from now on, whenever it was published. */
    LatencyHistogram restartCountingAll() {
        return restart(true);
    }

    private LatencyHistogram restart(boolean all) {
        Window w = new Window(new LatencyHistogram(), Stamps.now(), all);
        current = w;
        return w.histogram;
    }
}
