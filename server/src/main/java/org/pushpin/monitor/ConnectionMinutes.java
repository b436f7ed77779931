package org.pushpin.monitor;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pushpin.metrics.ServerMetrics;

/**
 * Pushpin's {@code connection_minute}: each new connection counts 1 at once, then 1 more per minute it stays open.
 * Kept without any per-connection timer: once a minute the connections open then are added. A connection open for
 * m full minutes counts 1 + m, give or take one (where the minute boundaries fall), as Pushpin's own counter.
 */
public final class ConnectionMinutes implements AutoCloseable {
    private final ServerMetrics metrics;
    private final ScheduledFuture<?> tick;
    private volatile long minutes;

    public ConnectionMinutes(ServerMetrics metrics, EventLoop loop) {
        this.metrics = metrics;
        this.tick = loop.scheduleAtFixedRate(this::minutePassed, 1, 1, TimeUnit.MINUTES);
    }

    private void minutePassed() {
        minutes += open();
    }

    private long open() {
        return metrics.connectionsOpen();
    }

    /** Connection-minutes so far. */
    public double value() {
        return metrics.connectionsTotal(ServerMetrics.ConnectionKind.HTTP) + minutes;
    }

    @Override
    public void close() {
        tick.cancel(false);
    }
}
