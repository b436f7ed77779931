package org.pushpin.hold;

import org.pushpin.hub.Hub;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.transport.Transport;

/** What every hold of one server shares: one reference per hold instead of one per part. */
final class HoldContext {
    final Hub hub;
    final ServerMetrics metrics;
    /** For the gone links' and http filters' POSTs. */
    final Transport transport;
    /** {@code [handler] http_filters}: whether http-check and http-modify act. */
    final boolean httpFilters;

    HoldContext(Hub hub, ServerMetrics metrics, Transport transport, boolean httpFilters) {
        this.hub = hub;
        this.metrics = metrics;
        this.transport = transport;
        this.httpFilters = httpFilters;
    }
}
