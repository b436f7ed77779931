package org.pushpin.proxy;

import java.util.Objects;
import org.pushpin.config.ConfigException;
import org.pushpin.config.PushpinConfig;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.RouteSource;
import org.pushpin.transport.Transport;

/**
 * What every client connection of one server shares: configuration, routes, signing, the GRIP hand-off, the
 * WebSocket sessions, the metrics.
 */
public final class ProxyContext {
    private final PushpinConfig config;
    private final RouteSource routes;
    private final RequestSigning signing;
    private final GripHandoff gripHandoff;
    private final WsSessions wsSessions;
    private final OriginConnector connector;
    private final ServerMetrics metrics;

    /** @throws ConfigException when a configured signing key cannot be read */
    public ProxyContext(PushpinConfig config, RouteSource routes, GripHandoff gripHandoff, WsSessions wsSessions,
                        Transport transport, ServerMetrics metrics) throws ConfigException {
        this.config = Objects.requireNonNull(config, "config");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.signing = ConfiguredSigning.create(config);
        this.gripHandoff = Objects.requireNonNull(gripHandoff, "gripHandoff");
        this.wsSessions = Objects.requireNonNull(wsSessions, "wsSessions");
        this.connector = new OriginConnector(transport, config.timeouts().originSeconds() * 1000L);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    ServerMetrics metrics() {
        return metrics;
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

    OriginConnector connector() {
        return connector;
    }
}
