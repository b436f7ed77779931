package org.pushpin.hold;

import org.pushpin.hub.Hub;
import org.pushpin.metrics.ServerMetrics;

/** What every hold of one server shares: one reference per hold instead of one per part. */
final class HoldContext {
    final Hub hub;
    final ServerMetrics metrics;

    HoldContext(Hub hub, ServerMetrics metrics) {
        this.hub = hub;
        this.metrics = metrics;
    }
}
