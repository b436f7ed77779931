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
    /** The channel history, or null while it is off (the default). */
    private final ChannelHistory history;

    Fanout(Hub hub, DeliveryLimiter limiter, DeliveryKind<?>[] kinds, ServerMetrics metrics, ChannelHistory history) {
        this.hub = hub;
        this.history = history;
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
     * Fans {@code item} out to {@code ci}'s loops ({@code ci} null: nobody here) and to those of the wildcard
     * subscriptions in {@code wild} (null or empty: none). {@code report}: its publisher's report or null;
     * {@code statsListener}: the stats' ear or null; {@code arrivedNanos}: when it arrived (0: now). When the item
     * reaches more than one channel index, each connection gets it once however many of its subscriptions match:
     * the deliveries to one loop then share one set of the subscribers served ({@link Wildcards.Once}).
     */
    void run(PublishItem item, ChannelIndex ci, ChannelIndex[] wild, ReportedPublish.Item report,
             SubscriptionListener statsListener, long arrivedNanos) {
        metrics.itemFannedOut();
        int receivers = 0;
        int extra = wild == null ? 0 : wild.length;
        int targets = (ci == null ? 0 : 1) + extra;
        SubscriptionListener l = targets == 0 ? null : statsListener; // the stats hear only of channels held here
        ItemTally tally = l == null && report == null ? null : new ItemTally(item, l, report);
        // an item that waited for its prev-id counts from its release, not from its arrival
        Published kept = history == null ? null : history.record(item, kinds, arrived(arrivedNanos));
        if (targets > 0) {
            int modes = modesOf(item);
            Wildcards.Once once = targets > 1 ? new Wildcards.Once() : null;
            Published shared = null;
            int unit = 1;
            for (int t = 0; t < targets; t++) {
                ChannelIndex target = ci == null ? wild[t] : t == 0 ? ci : wild[t - 1];
                for (LoopChannel lc : target.loops) {
                    int n = lc.live(modes);
                    if (report != null) {
                        report.unformatted(lc.live() - n); // a moment's count, as n is
                    }
                    if (n <= 0) {
                        continue;
                    }
                    if (shared == null) {
                        shared = kept != null ? kept : new Published(item, kinds, arrived(arrivedNanos));
                        unit = limiter.unitWeight(item);
                    }
                    toLoop(lc, shared, n, unit, tally, modes, report, once);
                    receivers += n;
                }
            }
        }
        if (tally != null) {
            tally.done(null, null);
        }
        HANDLER_LOG.info("publish channel={} receivers={}", item.channel(), receivers);
    }

    /** The deliveries of one item to the {@code n} subscribers of {@code lc} that take it. */
    private void toLoop(LoopChannel lc, Published shared, int n, int unit, ItemTally tally, int modes,
                        ReportedPublish.Item report, Wildcards.Once once) {
        RouteCounts routes = limiter.unlimited() ? null : lc.routes();
        if (routes == null) {
            offer(once(new Delivery(hub, lc, shared, n, unit, tally, modes, null), once), "", tally, report);
            return;
        }
        int rest = n;
        for (Map.Entry<String, AtomicIntegerArray> e : routes.entries()) {
            int nr = Math.min(rest, RouteCounts.live(e.getValue(), modes));
            if (nr > 0) {
                rest -= nr;
                offer(once(new Delivery(hub, lc, shared, nr, unit, tally, modes, e.getKey()), once), e.getKey(),
                        tally, report);
            }
        }
        if (rest > 0) {
            offer(once(new Delivery(hub, lc, shared, rest, unit, tally, modes, ""), once), "", tally, report);
        }
    }

    private static Delivery once(Delivery d, Wildcards.Once once) {
        if (once != null) {
            d.once = once.on(d.target.loop);
        }
        return d;
    }

    private static long arrived(long arrivedNanos) {
        return arrivedNanos != 0 ? arrivedNanos : System.nanoTime();
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
            tally.done(null, null);
        }
    }
}
