package org.pushpin.hub;

import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One item out of the sequencer, on the hub's thread: sized per loop, admitted by the limiter, and handed to each
 * loop as one {@link Delivery} (one per route allowance where limits are set and the loop has subscribers of routes
 * with an id). Only the subscribers whose mode the item has a format for receive it and are counted, as Pushpin's
 * {@code receivers} counts them.
 */
final class Fanout {
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("handler");

    private final Hub hub;
    private final DeliveryLimiter limiter;
    private final DeliveryKind<?>[] kinds;
    private final ServerMetrics metrics;

    Fanout(Hub hub, DeliveryLimiter limiter, DeliveryKind<?>[] kinds, ServerMetrics metrics) {
        this.hub = hub;
        this.limiter = limiter;
        this.kinds = kinds;
        this.metrics = metrics;
    }

    /** Bits (by {@link Subscriber.Mode#ordinal()}) of the modes {@code item} has a format for. */
    static int modesOf(PublishItem item) {
        int modes = 0;
        if (item.httpResponse() != null) {
            modes |= 1 << Subscriber.Mode.RESPONSE.ordinal();
        }
        if (item.httpStream() != null) {
            modes |= 1 << Subscriber.Mode.STREAM.ordinal();
        }
        if (item.wsMessage() != null) {
            modes |= 1 << Subscriber.Mode.WS.ordinal();
        }
        return modes;
    }

    /**
     * Fans {@code item} out to {@code ci}'s loops ({@code ci} null: nobody here). {@code report}: its publisher's
     * report or null; {@code statsListener}: the stats' ear or null; {@code arrivedNanos}: when it arrived (0: now).
     */
    void run(PublishItem item, ChannelIndex ci, ReportedPublish.Item report, SubscriptionListener statsListener,
             long arrivedNanos) {
        metrics.itemFannedOut();
        int receivers = 0;
        SubscriptionListener l = ci == null ? null : statsListener; // the stats hear only of channels held here
        ItemTally tally = l == null && report == null ? null : new ItemTally(item, l, report);
        if (ci != null) {
            int modes = modesOf(item);
            Published shared = null;
            int unit = 1;
            for (LoopChannel lc : ci.loops) {
                int n = lc.live(modes);
                if (n <= 0) {
                    continue;
                }
                if (shared == null) {
                    // an item that waited for its prev-id counts from its release, not from its arrival
                    shared = new Published(item, kinds, arrivedNanos != 0 ? arrivedNanos : System.nanoTime());
                    unit = limiter.unitWeight(item);
                }
                RouteCounts routes = limiter.unlimited() ? null : lc.routes();
                if (routes == null) {
                    offer(new Delivery(hub, lc, shared, n, unit, tally, modes, null), "", tally, report);
                } else {
                    int rest = n;
                    for (Map.Entry<String, AtomicIntegerArray> e : routes.entries()) {
                        int nr = Math.min(rest, RouteCounts.live(e.getValue(), modes));
                        if (nr > 0) {
                            rest -= nr;
                            offer(new Delivery(hub, lc, shared, nr, unit, tally, modes, e.getKey()), e.getKey(),
                                    tally, report);
                        }
                    }
                    if (rest > 0) {
                        offer(new Delivery(hub, lc, shared, rest, unit, tally, modes, ""), "", tally, report);
                    }
                }
                receivers += n;
            }
        }
        if (tally != null) {
            tally.done(null);
        }
        HANDLER_LOG.info("publish channel={} receivers={}", item.channel(), receivers);
    }

    private void offer(Delivery d, String route, ItemTally tally, ReportedPublish.Item report) {
        if (tally != null) {
            tally.expect();
        }
        boolean admitted = limiter.offer(d, route);
        if (report != null) {
            report.receivers(d.receivers);
            report.dropped(ServerMetrics.Drop.MESSAGE_HWM, d.receivers - d.cap);
        }
        if (!admitted && tally != null) {
            tally.done(null);
        }
    }
}
