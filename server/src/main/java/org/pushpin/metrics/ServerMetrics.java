package org.pushpin.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server instance: every part that counts gets this object from the composition root, and
 * the stats socket and Prometheus (later) read it. No static state, so two servers in one JVM count apart.
 *
 * <p>Cost: {@link LongAdder}s, so a count from an event loop touches a cell of its own (no shared cache line
 * between loops); hot paths count in batches (a fanout adds its deliveries once per loop, not once per
 * connection). Reading sums the cells: a moment's value, not a snapshot across counters.
 */
public final class ServerMetrics {
    /** Client connections, by protocol. */
    public enum ConnectionKind { HTTP, WEBSOCKET }

    /** Held connections, by hold mode. */
    public enum HoldKind { STREAM, RESPONSE, WEBSOCKET }

    /** Why a delivery (or a published item) did not reach a connection, or a connection was not held. */
    public enum Drop {
        /** A stream client had more than its limit waiting to be written; the connection was cut. */
        SLOW_CLIENT,
        /** {@code message_hwm}: more deliveries queued than allowed; counted per delivery. */
        MESSAGE_HWM,
        /** {@code message_rate}: reserved; our limiter delays deliveries over the rate instead of dropping them. */
        MESSAGE_RATE,
        /** An item whose id was seen within {@code id_cache_ttl}; counted per item. */
        DUPLICATE_ID,
        /** An item that waited for its {@code prev-id} and was given up; counted per item. */
        SEQUENCE,
        /** A ZeroMQ input message or command that could not be read (bad framing, encoding or item); per message. */
        MALFORMED_INPUT,
        /** A stats-socket event (conn, message) not sent: too many waited for the stats thread; per event. */
        STATS_QUEUE,
        /** A new hold (stream, long-poll, WebSocket) refused with 503 while the heap was under pressure. */
        HEAP_PRESSURE
    }

    /** Why a request to an origin failed (each answered with a 502 or retried at the next target). */
    public enum OriginError {
        /** The origin could not be reached (refused, unresolvable, TLS handshake failed). */
        CONNECT,
        /** No bytes from the origin within {@code origin_timeout} of asking for them. */
        TIMEOUT,
        /** The answer could not be read as HTTP, or the connection ended before it was complete. */
        BAD_RESPONSE
    }

    private final LongAdder[] connectionsOpen = adders(ConnectionKind.values().length);
    private final LongAdder[] connectionsTotal = adders(ConnectionKind.values().length);
    private final LongAdder[] held = adders(HoldKind.values().length);
    private final LongAdder[] drops = adders(Drop.values().length);
    private final ThrottledLog[] dropWarnings = new ThrottledLog[Drop.values().length];

    {
        for (int i = 0; i < dropWarnings.length; i++) {
            dropWarnings[i] = new ThrottledLog(org.slf4j.LoggerFactory.getLogger("handler"), 1000);
        }
    }

    private final LongAdder subscriptions = new LongAdder();
    private final LongAdder requestsProxied = new LongAdder();
    private final LongAdder requestsShared = new LongAdder();
    private final LongAdder itemsReceived = new LongAdder();
    private final LongAdder itemsFannedOut = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder responseDeliveries = new LongAdder();
    private final LongAdder brokerPublished = new LongAdder();
    private final LongAdder brokerPublishFailed = new LongAdder();
    private final LongAdder brokerReceived = new LongAdder();
    private final LongAdder brokerUpstreamChannels = new LongAdder();
    private final LongAdder brokerReconnects = new LongAdder();
    private volatile boolean brokerConnected;
    private final LongAdder[] originErrors = adders(OriginError.values().length);
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final LatencyHistogram deliveryLatency = new LatencyHistogram();
    private final HistoryMetrics history = new HistoryMetrics();

    /** The channel history's gauges and counters (all 0 while it is off). */
    public HistoryMetrics history() {
        return history;
    }
    private final FeedbackCounts feedback = new FeedbackCounts();

    /** The open connections by id (off unless the stats or command socket needs them). */
    public ConnectionRegistry connections() {
        return connections;
    }

    /** Publish-to-delivery latency: from an item's arrival at the hub to the end of its delivery on a loop. */
    /** Outcomes of the items published with delivery feedback (docs/delivery-feedback.md). */
    public FeedbackCounts feedback() {
        return feedback;
    }

    public LatencyHistogram deliveryLatency() {
        return deliveryLatency;
    }

    // ---- counting ----

    public void connectionOpened(ConnectionKind kind) {
        connectionsOpen[kind.ordinal()].increment();
        connectionsTotal[kind.ordinal()].increment();
    }

    public void connectionClosed(ConnectionKind kind) {
        connectionsOpen[kind.ordinal()].decrement();
    }

    /** A client connection changed protocol (an HTTP connection upgraded to WebSocket). */
    public void connectionUpgraded(ConnectionKind from, ConnectionKind to) {
        connectionsOpen[from.ordinal()].decrement();
        connectionsOpen[to.ordinal()].increment();
    }

    public void holdStarted(HoldKind kind) {
        held[kind.ordinal()].increment();
    }

    public void holdEnded(HoldKind kind) {
        held[kind.ordinal()].decrement();
    }

    public void subscribed() {
        subscriptions.increment();
    }

    public void unsubscribed() {
        subscriptions.decrement();
    }

    /** A client request was routed and forwarded to an origin (or the test target). */
    public void requestProxied() {
        requestsProxied.increment();
    }

    /** A request joined an identical one's origin request instead of asking the origin (request sharing). */
    public void requestShared() {
        requestsShared.increment();
    }

    /** {@code n} requests at once answered by another's origin request. */
    public void requestShared(int n) {
        requestsShared.add(n);
    }

    /** Items accepted from a publish input. */
    public void itemsReceived(int n) {
        itemsReceived.add(n);
    }

    /** One item left sequencing and was fanned out to this instance's subscribers. */
    public void itemFannedOut() {
        itemsFannedOut.increment();
    }

    public void delivered(int n) {
        deliveries.add(n);
    }

    /** A long-poll was answered with a published {@code http-response}. */
    public void responseDelivered() {
        responseDeliveries.increment();
    }

    // ---- the cluster broker (Redis) ----

    public void brokerConnected(boolean connected) {
        brokerConnected = connected;
    }

    /** Items the broker's engine took. */
    public void brokerPublished(int n) {
        brokerPublished.add(n);
    }

    /** Items refused because the engine could not take them (the publisher was told). */
    public void brokerPublishFailed(int n) {
        brokerPublishFailed.add(n);
    }

    /** Items that came back from the engine to fan out here. */
    public void brokerReceived(int n) {
        brokerReceived.add(n);
    }

    /** Channels this instance subscribes to upstream (+1 / -1). */
    public void brokerUpstreamChannels(int delta) {
        brokerUpstreamChannels.add(delta);
    }

    public void brokerReconnected() {
        brokerReconnects.increment();
    }

    public boolean brokerIsConnected() {
        return brokerConnected;
    }

    public long brokerPublished() {
        return brokerPublished.sum();
    }

    public long brokerPublishFailed() {
        return brokerPublishFailed.sum();
    }

    public long brokerReceived() {
        return brokerReceived.sum();
    }

    public long brokerUpstreamChannels() {
        return brokerUpstreamChannels.sum();
    }

    public long brokerReconnects() {
        return brokerReconnects.sum();
    }

    public void originError(OriginError kind) {
        originErrors[kind.ordinal()].increment();
    }

    /**
     * Where to log drops of {@code reason}: at most once a second (with how many more since), as under overload
     * they come by the thousand; the exact counts are in {@link #dropped(Drop)}.
     */
    public ThrottledLog dropWarning(Drop reason) {
        return dropWarnings[reason.ordinal()];
    }

    public void dropped(Drop reason, long n) {
        drops[reason.ordinal()].add(n);
    }

    // ---- reading (any thread) ----

    public long connectionsOpen(ConnectionKind kind) {
        return connectionsOpen[kind.ordinal()].sum();
    }

    /** Client connections open now, of every kind. */
    public long connectionsOpen() {
        long n = 0;
        for (ConnectionKind k : ConnectionKind.values()) {
            n += connectionsOpen(k);
        }
        return n;
    }

    public long connectionsTotal(ConnectionKind kind) {
        return connectionsTotal[kind.ordinal()].sum();
    }

    public long held(HoldKind kind) {
        return held[kind.ordinal()].sum();
    }

    public long subscriptions() {
        return subscriptions.sum();
    }

    public long requestsProxied() {
        return requestsProxied.sum();
    }

    public long requestsShared() {
        return requestsShared.sum();
    }

    public long itemsReceived() {
        return itemsReceived.sum();
    }

    public long itemsFannedOut() {
        return itemsFannedOut.sum();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long responseDeliveries() {
        return responseDeliveries.sum();
    }

    public long originErrors(OriginError kind) {
        return originErrors[kind.ordinal()].sum();
    }

    public long dropped(Drop reason) {
        return drops[reason.ordinal()].sum();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
