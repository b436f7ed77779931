package org.pushpin.proxy;

import java.util.Objects;
import org.pushpin.config.ConfigException;
import org.pushpin.config.PushpinConfig;
import org.pushpin.metrics.HeapPressure;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.RouteSource;
import org.pushpin.transport.Transport;
import org.pushpin.zhttp.client.ZhttpServices;

/**
 * What every client connection of one server shares: configuration, routes, signing, the GRIP hand-off, the
 * WebSocket sessions, the metrics, the count of open requests, whether new holds are taken. The configuration and
 * signing can be swapped while running (SIGHUP, {@link #reconfigure}): connections read them where they use them, so a
 * change reaches the next use.
 */
public final class ProxyContext {
    private volatile PushpinConfig config;
    private final RouteSource routes;
    private volatile RequestSigning signing;
    private final GripHandoff gripHandoff;
    private final WsSessions wsSessions;
    private final OriginConnector connector;
    private final ServerMetrics metrics;
    private final OpenRequests openRequests;
    private final HoldAdmission holdAdmission;
    private final SharedRequests sharedRequests;
    /** Where requests under a route's {@code sockjs=} path go; null: such routes proxy as any other. */
    private volatile SockJsHandoff sockJs;
    private final ZhttpServices zhttpServices;

    /**
     * @param heap when new holds are refused ({@link HeapPressure#off()}: never)
     * @throws ConfigException when a configured signing key cannot be read
     */
    public ProxyContext(PushpinConfig config, RouteSource routes, GripHandoff gripHandoff, WsSessions wsSessions,
                        Transport transport, ServerMetrics metrics, HeapPressure heap) throws ConfigException {
        this(config, routes, gripHandoff, wsSessions, transport, metrics, heap,
                new ZhttpServices(ZhttpServices.SESSION_EXPIRE_MILLIS));
    }

    /**
     * As above, with the {@code zhttp/} and {@code zhttpreq/} services asked through {@code zhttpServices} (which
     * the caller closes).
     */
    public ProxyContext(PushpinConfig config, RouteSource routes, GripHandoff gripHandoff, WsSessions wsSessions,
                        Transport transport, ServerMetrics metrics, HeapPressure heap, ZhttpServices zhttpServices)
            throws ConfigException {
        this.zhttpServices = Objects.requireNonNull(zhttpServices, "zhttpServices");
        this.config = Objects.requireNonNull(config, "config");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.signing = ConfiguredSigning.create(config);
        this.gripHandoff = Objects.requireNonNull(gripHandoff, "gripHandoff");
        this.wsSessions = Objects.requireNonNull(wsSessions, "wsSessions");
        this.connector = new OriginConnector(transport, config.timeouts().originSeconds() * 1000L);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.openRequests = new OpenRequests(config.proxy().maxOpenRequests());
        this.holdAdmission = new HoldAdmission(Objects.requireNonNull(heap, "heap"), metrics);
        this.sharedRequests = new SharedRequests(metrics);
    }

    /** Origin requests in flight that identical requests share. */
    SharedRequests sharedRequests() {
        return sharedRequests;
    }

    /** The ZeroMQ HTTP services of {@code zhttp/} and {@code zhttpreq/} targets. */
    public ZhttpServices zhttpServices() {
        return zhttpServices;
    }

    HoldAdmission holdAdmission() {
        return holdAdmission;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    /**
     * From now on, {@code next} (SIGHUP): its signing keys, origin timeout and every setting read through
     * {@link #config()}. The caller keeps what must not change while running (listeners, routes file) as it was.
     *
     * @throws ConfigException when a signing key of {@code next} cannot be read; nothing changed then
     */
    public void reconfigure(PushpinConfig next) throws ConfigException {
        RequestSigning nextSigning = ConfiguredSigning.create(next);
        signing = nextSigning;
        connector.originTimeoutMillis(next.timeouts().originSeconds() * 1000L);
        config = next;
    }

    private volatile boolean draining;

    /** The server is stopping (SIGTERM): a connection whose response ended closes instead of waiting for more. */
    public void draining() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    public PushpinConfig config() {
        return config;
    }

    RouteSource routes() {
        return routes;
    }

    RequestSigning signing() {
        return signing;
    }

    GripHandoff gripHandoff() {
        return gripHandoff;
    }

    WsSessions wsSessions() {
        return wsSessions;
    }

    /** Plugs in the SockJS endpoint (before listeners start): routes with {@code sockjs=} are then served by it. */
    public void sockJs(SockJsHandoff handoff) {
        this.sockJs = handoff;
    }

    SockJsHandoff sockJs() {
        return sockJs;
    }

    OriginConnector connector() {
        return connector;
    }

    /** {@code max_open_requests}: the requests and WebSockets being proxied now, and those waiting for room. */
    public OpenRequests openRequests() {
        return openRequests;
    }
}
