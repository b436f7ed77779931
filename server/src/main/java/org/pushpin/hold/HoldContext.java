package org.pushpin.hold;

import org.pushpin.hub.Hub;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.transport.Transport;

/** What every hold of one server shares: one reference per hold instead of one per part. */
final class HoldContext {
    final Hub hub;
    final ServerMetrics metrics;
    /** For the gone links' POSTs. */
    final Transport transport;

    HoldContext(Hub hub, ServerMetrics metrics, Transport transport) {
        this.hub = hub;
        this.metrics = metrics;
        this.transport = transport;
    }
}
