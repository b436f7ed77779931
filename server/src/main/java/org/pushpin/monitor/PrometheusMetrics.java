package org.pushpin.monitor;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.pushpin.metrics.FeedbackCounts;
import org.pushpin.metrics.HeapPressure;
import org.pushpin.metrics.LatencyHistogram;
import org.pushpin.metrics.ServerMetrics;

/**
 * What the Prometheus endpoint serves, read from {@link ServerMetrics} at scrape time (nothing is counted for it on
 * a hot path). Pushpin's five metrics keep Pushpin's exact names ({@code request_received}, ...) so its dashboards
 * work: the Java client would write a counter as {@code name_total}, so Pushpin's four counters are exposed untyped
 * under the bare name (1.36 types them {@code counter}; the values and names are what queries use), the gauge as a
 * gauge. Ours follow Prometheus conventions ({@code pushpin_*_total} counters, gauges, labels), then the JVM's and
 * Netty's allocator memory. {@code prometheus_prefix} goes before every name, as Pushpin puts it before its own.
 */
public final class PrometheusMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusMetrics(ServerMetrics m, ConnectionMinutes minutes, HeapPressure heap, String prefix) {
        pushpin(prefix + "request_received", "Number of requests received", m::requestsProxied);
        GaugeWithCallback.builder().name(prefix + "connection_connected").help("Number of concurrent connections")
                .callback(cb -> cb.call(m.connectionsOpen())).register(registry);
        pushpin(prefix + "connection_minute", "Number of minutes clients have been connected", minutes::value);
        pushpin(prefix + "message_received", "Number of messages received by the publish API", m::itemsReceived);
        pushpin(prefix + "message_sent", "Number of messages sent to clients", m::deliveries);

        GaugeWithCallback.builder().name(prefix + "pushpin_connections_open")
                .help("Client connections open now, by kind").labelNames("kind")
                .callback(cb -> {
                    for (ServerMetrics.ConnectionKind k : ServerMetrics.ConnectionKind.values()) {
                        cb.call(m.connectionsOpen(k), label(k));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_held_connections")
                .help("Connections held by GRIP now, by kind").labelNames("kind")
                .callback(cb -> {
                    for (ServerMetrics.HoldKind k : ServerMetrics.HoldKind.values()) {
                        cb.call(m.held(k), label(k));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_subscriptions")
                .help("Channel subscriptions of held connections now")
                .callback(cb -> cb.call(m.subscriptions())).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_heap_pressure")
                .help("1 while new holds are refused because the heap in use after a collection is over "
                        + "heap_pressure_percent")
                .callback(cb -> cb.call(heap.high() ? 1 : 0)).register(registry);
        counter(prefix + "pushpin_requests_proxied", "Client requests received", m::requestsProxied);
        counter(prefix + "pushpin_items_received", "Publish items received by every input", m::itemsReceived);
        counter(prefix + "pushpin_deliveries", "Messages written to held connections", m::deliveries);
        CounterWithCallback.builder().name(prefix + "pushpin_dropped")
                .help("Deliveries or items not delivered, by reason").labelNames("reason")
                .callback(cb -> {
                    for (ServerMetrics.Drop d : ServerMetrics.Drop.values()) {
                        cb.call(m.dropped(d), label(d));
                    }
                }).register(registry);
        CounterWithCallback.builder().name(prefix + "pushpin_feedback_deliveries")
                .help("Subscribers reached by items published with delivery feedback, by outcome")
                .labelNames("outcome")
                .callback(cb -> {
                    for (FeedbackCounts.Outcome o : FeedbackCounts.Outcome.values()) {
                        cb.call(m.feedback().count(o), label(o));
                    }
                }).register(registry);
        counter(prefix + "pushpin_feedback_items", "Items published with delivery feedback, counted here",
                () -> m.feedback().items());
        CounterWithCallback.builder().name(prefix + "pushpin_origin_errors")
                .help("Requests to origins that failed, by kind").labelNames("kind")
                .callback(cb -> {
                    for (ServerMetrics.OriginError e : ServerMetrics.OriginError.values()) {
                        cb.call(m.originErrors(e), label(e));
                    }
                }).register(registry);
        counter(prefix + "pushpin_broker_published", "Items the cluster broker (Redis) took", m::brokerPublished);
        counter(prefix + "pushpin_broker_publish_failures",
                "Items the cluster broker could not take (the publisher was answered 503)", m::brokerPublishFailed);
        counter(prefix + "pushpin_broker_received", "Items that came back from the cluster broker to fan out here",
                m::brokerReceived);
        counter(prefix + "pushpin_broker_reconnects", "Reconnects of the cluster broker's subscription connections",
                m::brokerReconnects);
        GaugeWithCallback.builder().name(prefix + "pushpin_broker_upstream_channels")
                .help("Channels this instance subscribes to at the cluster broker")
                .callback(cb -> cb.call(m.brokerUpstreamChannels())).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_broker_connected")
                .help("1 while the cluster broker's publish connection is up (0 without a cluster broker)")
                .callback(cb -> cb.call(m.brokerIsConnected() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_history_items")
                .help("Published items kept for resume (docs/history.md; 0 while history_size is 0)")
                .callback(cb -> cb.call(m.history().items())).register(registry);
        GaugeWithCallback.builder().name(prefix + "pushpin_history_bytes")
                .help("Content bytes of the items kept for resume")
                .callback(cb -> cb.call(m.history().bytes())).register(registry);
        counter(prefix + "pushpin_history_misses", "Resumes and long-polls whose id the history did not hold",
                () -> m.history().misses());
        counter(prefix + "pushpin_history_replayed", "Items replayed from history to resuming clients",
                () -> m.history().replayed());
        latency(prefix + "pushpin_delivery_latency_seconds",
                "From a published item's arrival to the end of its delivery on an event loop (one per item and loop)",
                m.deliveryLatency());
        PooledByteBufAllocatorMetric netty = PooledByteBufAllocator.DEFAULT.metric();
        GaugeWithCallback.builder().name(prefix + "netty_allocator_used_bytes")
                .help("Memory used by Netty's pooled buffer allocator").labelNames("area")
                .callback(cb -> {
                    cb.call(netty.usedHeapMemory(), "heap");
                    cb.call(netty.usedDirectMemory(), "direct");
                }).register(registry);
        JvmMetrics.builder().register(registry);
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private void counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
    }

    private void pushpin(String name, String help, DoubleSupplier value) {
        registry.register(() -> UnknownSnapshot.builder().name(name).help(help)
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(value.getAsDouble()).build())
                .build());
    }

    private void latency(String name, String help, LatencyHistogram h) {
        double[] inner = LatencyHistogram.bounds();
        double[] bounds = java.util.Arrays.copyOf(inner, inner.length + 1);
        bounds[inner.length] = Double.POSITIVE_INFINITY;
        registry.register(() -> HistogramSnapshot.builder().name(name).help(help)
                .unit(Unit.SECONDS)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts()))
                        .sum(h.sumSeconds()).build())
                .build());
    }

    /** The text exposition of everything, now. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }
}
