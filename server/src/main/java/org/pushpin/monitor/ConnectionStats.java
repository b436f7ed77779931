package org.pushpin.monitor;

import io.netty.util.internal.PlatformDependent;
import java.util.Map;
import java.util.Queue;
import org.pushpin.metrics.ConnectionRegistry;
import org.pushpin.metrics.ServerMetrics;

/**
 * The stats socket's {@code conn} packets: "connected" when a connection opens (and again every ttl×3/4 s while it
 * stays open, so a reader that keeps entries for {@code ttl} s sees it live), "gone" ({@code unavailable}) when it
 * ends. Event loops hand the events over through a bounded queue (over {@value #QUEUE} waiting, an event is
 * dropped and counted as {@code STATS_QUEUE}: a reader learns of it at the next refresh or by the TTL).
 *
 * <p>The refresh is spread: each second re-announces the connections whose sequence number falls in that second's
 * slice of the period, so a million open connections cost ~11,000 packets a second (ttl 120), never a burst.
 */
final class ConnectionStats implements ConnectionRegistry.Listener {
    static final int QUEUE = 65_536;

    private record Event(ConnectionRegistry.Connection connection, boolean gone) {
    }

    private final Queue<Event> events = PlatformDependent.newFixedMpscQueue(QUEUE);
    private final ConnectionRegistry registry;
    private final ServerMetrics metrics;
    private final StatsPackets out;
    private final int ttl;
    /** Seconds between two announcements of one connection (ttl×3/4, at least 1). */
    private final int period;
    private long second;

    ConnectionStats(ConnectionRegistry registry, ServerMetrics metrics, StatsPackets out, int ttlSeconds) {
        this.registry = registry;
        this.metrics = metrics;
        this.out = out;
        this.ttl = Math.max(1, ttlSeconds);
        this.period = Math.max(1, ttl * 3 / 4);
    }

    @Override
    public void connected(ConnectionRegistry.Connection c) {
        offer(new Event(c, false));
    }

    @Override
    public void gone(ConnectionRegistry.Connection c) {
        offer(new Event(c, true));
    }

    private void offer(Event e) {
        if (!events.offer(e)) {
            metrics.dropped(ServerMetrics.Drop.STATS_QUEUE, 1);
        }
    }

    /** Stats thread: sends what happened since the last call. */
    void drain() {
        Event e;
        while ((e = events.poll()) != null) {
            if (e.gone) {
                sendGone(e.connection);
            } else {
                sendConnected(e.connection);
            }
        }
    }

    /** Stats thread, once a second: re-announces this second's slice of the open connections. */
    void refresh() {
        long slice = second++ % period;
        for (ConnectionRegistry.Connection c : registry.open()) {
            if (c.seq % period == slice) {
                sendConnected(c);
            }
        }
    }

    private void sendConnected(ConnectionRegistry.Connection c) {
        Map<String, Object> p = out.packet();
        if (c.route != null) {
            p.put("route", c.route.id);
        }
        p.put("id", c.id);
        p.put("type", c.type.wire);
        if (c.peer != null) {
            p.put("peer-address", c.peer);
        }
        if (c.ssl) {
            p.put("ssl", true);
        }
        p.put("ttl", ttl);
        out.send("conn", p);
    }

    private void sendGone(ConnectionRegistry.Connection c) {
        Map<String, Object> p = out.packet();
        if (c.route != null) {
            p.put("route", c.route.id);
        }
        p.put("id", c.id);
        p.put("unavailable", true);
        out.send("conn", p);
    }
}
