package org.pushpin.bench.load;

/**
 * Where every connection reports the stamps it receives. Each phase of a run {@link #restart() restarts} it and
 * reads latencies and the received count from the histogram it got.
 */
final class Deliveries implements StampScanner.Sink {
    private volatile LatencyHistogram current = new LatencyHistogram();

    @Override
    public void stamp(long value) {
        current.recordNanos(Stamps.now() - value);
    }

    /** A fresh histogram that receives every delivery from now on. */
    LatencyHistogram restart() {
        LatencyHistogram h = new LatencyHistogram();
        current = h;
        return h;
    }
}
