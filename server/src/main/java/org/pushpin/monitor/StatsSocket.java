package org.pushpin.monitor;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pushpin.hub.Hub;
import org.pushpin.metrics.ConnectionRegistry;
import org.pushpin.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Pushpin's stats socket ({@code stats_spec}, a bound ZeroMQ PUB; docs/monitoring.md): {@code conn}
 * ({@link ConnectionStats}), {@code sub} and {@code message} ({@link SubscriptionStats}), {@code activity},
 * {@code counts} and {@code report} ({@link StatsReports}), framed by {@link StatsPackets}. One thread owns the
 * socket and does all the work; event loops only hand events over. The PUB high-water mark is Pushpin's 200,000:
 * a reader too slow loses packets, as with Pushpin.
 */
public final class StatsSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("handler");
    static final int SEND_HWM = 200_000;

    /**
     * @param format              {@code tnetstring} or {@code json}
     * @param reportInterval      s between reports (≤ 0: none)
     * @param connectionTtl       {@code stats_connection_ttl}, s
     * @param subscriptionTtl     {@code stats_subscription_ttl}, s
     * @param from                the instance id every packet carries
     */
    public record Settings(String spec, String format, int reportInterval, int connectionTtl, int subscriptionTtl,
                           String from) {
    }

    private final ZMQ.Socket socket;
    private final ScheduledExecutorService thread;
    private final ConnectionRegistry registry;
    private final Hub hub;

    private StatsSocket(ZMQ.Socket socket, ConnectionRegistry registry, Hub hub) {
        this.socket = socket;
        this.registry = registry;
        this.hub = hub;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushpin-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds the spec (tcp://) and starts sending. Call before clients connect: it turns on the connection registry
     * and the hub's counting by mode, which only count what happens after.
     */
    public static StatsSocket start(ZContext zmq, Settings settings, ServerMetrics metrics, Hub hub) {
        ZMQ.Socket socket = zmq.createSocket(SocketType.PUB);
        socket.setSndHWM(SEND_HWM);
        socket.setLinger(0);
        try {
            socket.bind(settings.spec());
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        ConnectionRegistry registry = metrics.connections();
        StatsSocket s = new StatsSocket(socket, registry, hub);
        StatsPackets out = new StatsPackets(socket, settings.from(), "json".equals(settings.format()));
        ConnectionStats conns = new ConnectionStats(registry, metrics, out, settings.connectionTtl());
        SubscriptionStats subs = new SubscriptionStats(hub, metrics, out, settings.subscriptionTtl());
        StatsReports reports = new StatsReports(metrics, out);
        registry.listener(conns);
        hub.listen(subs);
        s.every(50, TimeUnit.MILLISECONDS, () -> {
            conns.drain();
            subs.drain();
        });
        s.every(100, TimeUnit.MILLISECONDS, reports::activity);
        s.every(1000, TimeUnit.MILLISECONDS, () -> {
            reports.sample();
            conns.refresh();
            subs.tick();
        });
        s.every(60_000, TimeUnit.MILLISECONDS, reports::minute);
        if (settings.reportInterval() > 0) {
            s.every(settings.reportInterval() * 1000L, TimeUnit.MILLISECONDS, reports::report);
        }
        LOG.info("stats socket: {} ({})", settings.spec(), out.json() ? "json" : "tnetstring");
        return s;
    }

    /** A periodic task that survives its own failure (a scheduled task that throws is never run again). */
    private void every(long periodMillis, TimeUnit unit, Runnable task) {
        thread.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("stats socket: {}", e.toString());
            }
        }, periodMillis, periodMillis, unit);
    }

    @Override
    public void close() {
        registry.listener(null);
        hub.listen(null);
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
