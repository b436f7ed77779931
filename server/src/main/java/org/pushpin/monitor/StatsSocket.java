package org.pushpin.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.tnet.TnetString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Pushpin's stats socket ({@code stats_spec}, a bound ZeroMQ PUB), for the packets that come from counters: each
 * frame is {@code <type> T<tnetstring dict>} ({@code stats_format=tnetstring}) or {@code <type> J<JSON>}, so a
 * subscriber filters by type prefix. Sent here:
 * <ul>
 * <li>{@code activity} {@code {from, count}} and {@code counts} {@code {from, requests-received}}: the requests
 * received since the last, at most every 100 ms and only when there were some;</li>
 * <li>{@code report} every {@code stats_report_interval} seconds: {@code from}, {@code connections} (the most open
 * at once among the samples of the interval, one a second), {@code minutes} (connection-minutes), {@code received}
 * (items), {@code sent} (deliveries), {@code duration} (ms) — route-less.</li>
 * </ul>
 * Not sent yet (docs/monitoring.md): {@code conn}, {@code sub}, {@code message}, per-route reports and the byte
 * counters. One thread owns the socket; the PUB high-water mark is Pushpin's 200,000 (a slow reader loses packets,
 * as with Pushpin).
 */
public final class StatsSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("handler");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int SEND_HWM = 200_000;

    private final ZMQ.Socket socket;
    private final ScheduledExecutorService thread;
    private final ServerMetrics metrics;
    private final ConnectionMinutes minutes;
    private final String from;
    private final boolean json;
    private long requestsSeen;
    private long lastReportNanos = System.nanoTime();
    private double lastMinutes;
    private long lastReceived;
    private long lastSent;
    private long peakOpen;

    private StatsSocket(ZMQ.Socket socket, ServerMetrics metrics, ConnectionMinutes minutes, String from,
                        boolean json) {
        this.socket = socket;
        this.metrics = metrics;
        this.minutes = minutes;
        this.from = from;
        this.json = json;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushpin-stats");
            t.setDaemon(true);
            return t;
        });
        this.requestsSeen = metrics.requestsProxied();
        this.lastMinutes = minutes.value();
        this.lastReceived = metrics.itemsReceived();
        this.lastSent = metrics.deliveries();
    }

    /**
     * Binds {@code spec} (tcp://) and starts sending.
     *
     * @param format         {@code tnetstring} or {@code json}
     * @param reportInterval seconds between reports (≤ 0: no reports)
     */
    public static StatsSocket start(ZContext zmq, String spec, String format, int reportInterval,
                                    ServerMetrics metrics, ConnectionMinutes minutes, String from) {
        ZMQ.Socket socket = zmq.createSocket(SocketType.PUB);
        socket.setSndHWM(SEND_HWM);
        socket.setLinger(0);
        try {
            socket.bind(spec);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        StatsSocket s = new StatsSocket(socket, metrics, minutes, from, "json".equals(format));
        s.every(100, TimeUnit.MILLISECONDS, s::activity);
        s.every(1, TimeUnit.SECONDS, s::sample);
        if (reportInterval > 0) {
            s.every(reportInterval, TimeUnit.SECONDS, s::report);
        }
        LOG.info("stats socket: {} ({})", spec, s.json ? "json" : "tnetstring");
        return s;
    }

    /** A periodic task that survives its own failure (a scheduled task that throws is never run again). */
    private void every(long period, TimeUnit unit, Runnable task) {
        thread.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("stats socket: {}", e.toString());
            }
        }, period, period, unit);
    }

    private long open() {
        return metrics.connectionsOpen(ServerMetrics.ConnectionKind.HTTP)
                + metrics.connectionsOpen(ServerMetrics.ConnectionKind.WEBSOCKET);
    }

    private void activity() {
        long now = metrics.requestsProxied();
        long count = now - requestsSeen;
        if (count <= 0) {
            return;
        }
        requestsSeen = now;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("from", from);
        a.put("count", count);
        send("activity", a);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("from", from);
        c.put("requests-received", count);
        send("counts", c);
        peakOpen = Math.max(peakOpen, open());
    }

    private void sample() {
        peakOpen = Math.max(peakOpen, open());
    }

    private void report() {
        long nowNanos = System.nanoTime();
        double m = minutes.value();
        long received = metrics.itemsReceived();
        long sent = metrics.deliveries();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("from", from);
        r.put("connections", Math.max(peakOpen, open()));
        r.put("minutes", Math.round(m - lastMinutes));
        r.put("received", received - lastReceived);
        r.put("sent", sent - lastSent);
        r.put("duration", TimeUnit.NANOSECONDS.toMillis(nowNanos - lastReportNanos));
        send("report", r);
        lastReportNanos = nowNanos;
        lastMinutes = m;
        lastReceived = received;
        lastSent = sent;
        peakOpen = open();
    }

    private void send(String type, Map<String, Object> packet) {
        byte[] body;
        char kind;
        if (json) {
            try {
                body = JSON.writeValueAsBytes(packet);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            kind = 'J';
        } else {
            body = TnetString.encode(packet);
            kind = 'T';
        }
        byte[] head = (type + " " + kind).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        socket.send(frame, ZMQ.DONTWAIT); // PUB never blocks: over the HWM a packet is dropped, as Pushpin's
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
