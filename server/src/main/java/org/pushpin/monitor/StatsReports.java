package org.pushpin.monitor;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pushpin.metrics.ConnectionRegistry;
import org.pushpin.metrics.ServerMetrics;

/**
 * The stats socket's {@code activity}, {@code counts} and {@code report} packets, read from counters that exist
 * anyway (nothing is counted for them on the hot path).
 * <ul>
 * <li>{@code activity} {@code {from, route?, count}}: requests routed since the last, per route with an
 * {@code id} and once for the rest, at most every 100 ms and only when there were some; {@code counts}
 * {@code {from, requests-received}} with them, for all routes.</li>
 * <li>{@code report} every {@code stats_report_interval} s: one per route with an {@code id} and one without
 * {@code route} for the whole server: {@code connections} (the most open at once among the samples of the
 * interval, one a second), {@code minutes} (connection-minutes: a new connection counts 1, then 1 per minute
 * open), {@code received} (items published), {@code sent} (deliveries), {@code http-response-sent} (long-poll
 * deliveries), {@code duration} (ms). As Pushpin, published and delivered items count in the route-less report
 * only, and a report is not sent again after one that was empty.</li>
 * </ul>
 * Stats thread only.
 */
final class StatsReports {
    /** What one report covers, and what the last said. */
    private static final class Span {
        long opened;
        long minutes;
        long peak;
        long received;
        long sent;
        long responseSent;
        long startNanos = System.nanoTime();
        boolean lastEmpty;
        long activitySeen;
    }

    private final ServerMetrics metrics;
    private final ConnectionRegistry registry;
    private final StatsPackets out;
    private final Span all = new Span();
    private final HashMap<String, Span> routes = new HashMap<>();

    StatsReports(ServerMetrics metrics, StatsPackets out) {
        this.metrics = metrics;
        this.registry = metrics.connections();
        this.out = out;
        all.opened = openedAll();
        all.received = metrics.itemsReceived();
        all.sent = metrics.deliveries();
        all.responseSent = metrics.responseDeliveries();
        all.activitySeen = metrics.requestsProxied();
    }

    private long openedAll() {
        return metrics.connectionsTotal(ServerMetrics.ConnectionKind.HTTP);
    }

    private long openAll() {
        return metrics.connectionsOpen();
    }

    private Span span(ConnectionRegistry.RouteCounters r) {
        return routes.computeIfAbsent(r.id, k -> new Span());
    }

    /** Every 100 ms. */
    void activity() {
        long now = metrics.requestsProxied();
        long total = now - all.activitySeen;
        if (total <= 0) {
            return;
        }
        all.activitySeen = now;
        long routed = 0;
        for (ConnectionRegistry.RouteCounters r : registry.routes()) {
            Span s = span(r);
            long opened = r.opened();
            long count = opened - s.activitySeen;
            s.activitySeen = opened;
            if (count > 0) {
                routed += count;
                Map<String, Object> a = out.packet();
                a.put("route", r.id);
                a.put("count", count);
                out.send("activity", a);
            }
        }
        if (total > routed) {
            Map<String, Object> a = out.packet();
            a.put("count", total - routed);
            out.send("activity", a);
        }
        Map<String, Object> c = out.packet();
        c.put("requests-received", total);
        out.send("counts", c);
    }

    /** Once a second: the peaks. */
    void sample() {
        all.peak = Math.max(all.peak, openAll());
        for (ConnectionRegistry.RouteCounters r : registry.routes()) {
            Span s = span(r);
            s.peak = Math.max(s.peak, r.open());
        }
    }

    /** Once a minute: every open connection counts one more connection-minute. */
    void minute() {
        all.minutes += openAll();
        for (ConnectionRegistry.RouteCounters r : registry.routes()) {
            span(r).minutes += r.open();
        }
    }

    /** Every {@code stats_report_interval}. */
    void report() {
        long nowNanos = System.nanoTime();
        for (ConnectionRegistry.RouteCounters r : registry.routes()) {
            Span s = span(r);
            Map<String, Object> p = out.packet();
            p.put("route", r.id);
            fill(p, s, r.open(), r.opened(), 0, 0, 0, nowNanos);
            send(p, s);
        }
        Map<String, Object> p = out.packet();
        fill(p, all, openAll(), openedAll(), metrics.itemsReceived(), metrics.deliveries(),
                metrics.responseDeliveries(), nowNanos);
        send(p, all);
    }

    private static void fill(Map<String, Object> p, Span s, long open, long opened, long received, long sent,
                             long responseSent, long nowNanos) {
        p.put("connections", Math.max(s.peak, open));
        p.put("minutes", (opened - s.opened) + s.minutes);
        p.put("received", received - s.received);
        p.put("sent", sent - s.sent);
        p.put("http-response-sent", responseSent - s.responseSent);
        p.put("duration", TimeUnit.NANOSECONDS.toMillis(nowNanos - s.startNanos));
        s.opened = opened;
        s.minutes = 0;
        s.peak = open;
        s.received = received;
        s.sent = sent;
        s.responseSent = responseSent;
        s.startNanos = nowNanos;
    }

    /** Sends {@code p} unless it and the report before were both empty. */
    private void send(Map<String, Object> p, Span s) {
        boolean empty = ((Number) p.get("connections")).longValue() == 0
                && ((Number) p.get("minutes")).longValue() == 0
                && ((Number) p.get("received")).longValue() == 0
                && ((Number) p.get("sent")).longValue() == 0;
        if (!(empty && s.lastEmpty)) {
            out.send("report", p);
        }
        s.lastEmpty = empty;
    }
}
