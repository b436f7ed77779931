package org.pushpin.ingest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.metrics.ServerMetrics.ConnectionKind;
import org.pushpin.metrics.ServerMetrics.HoldKind;

/**
 * What {@code GET /health} on the control API answers (docs/publishing.md#health), for load balancers: 200 while
 * this instance can take publishes, 503 while it cannot (a Redis cluster broker whose publish connection is down),
 * with a few live counts read from {@link ServerMetrics} at request time. Pushpin 1.36 has no such endpoint.
 *
 * <p>Body (JSON, one line): {@code {"status":"ok","broker":"none","connections":3,"held":1,"subscriptions":1}};
 * when unavailable, {@code "status":"unavailable"} and a {@code "reason"} follow. {@code broker} is {@code none}
 * (no cluster broker), {@code connected} or {@code disconnected}.
 */
public final class ControlHealth {
    private final ServerMetrics metrics;
    private final boolean brokerWatched;

    /**
     * @param metrics       the server's counters
     * @param brokerWatched true when a Redis broker counts into {@code metrics}: its connection decides the status
     */
    public ControlHealth(ServerMetrics metrics, boolean brokerWatched) {
        this.metrics = requireNonNull(metrics, "metrics");
        this.brokerWatched = brokerWatched;
    }

    /** The answer now; {@code head}: headers only. */
    ControlReply reply(boolean head) {
        String broker = !brokerWatched ? "none" : metrics.brokerIsConnected() ? "connected" : "disconnected";
        boolean ok = !broker.equals("disconnected");
        long connections = 0;
        for (ConnectionKind k : ConnectionKind.values()) {
            connections += metrics.connectionsOpen(k);
        }
        long held = 0;
        for (HoldKind k : HoldKind.values()) {
            held += metrics.held(k);
        }
        StringBuilder body = new StringBuilder(128).append("{\"status\":\"").append(ok ? "ok" : "unavailable")
                .append('"');
        if (!ok) {
            body.append(",\"reason\":\"the cluster broker (Redis) is not connected; publishes are refused\"");
        }
        body.append(",\"broker\":\"").append(broker).append('"')
                .append(",\"connections\":").append(connections)
                .append(",\"held\":").append(held)
                .append(",\"subscriptions\":").append(metrics.subscriptions())
                .append("}\n");
        return new ControlReply(ok ? 200 : 503, ok ? "OK" : "Service Unavailable", ControlApi.JSON, List.of(),
                body.toString(), -1, List.of(), false, head);
    }
}
