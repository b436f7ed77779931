package org.pushpin.hold;

import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Channel;
import org.pushpin.hub.DeliveryOutcome;
import org.pushpin.hub.Published;
import org.pushpin.hub.Subscriber;
import org.pushpin.message.Format;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.StreamOutput;
import org.pushpin.timer.TimerWheel;

/**
 * A held client connection: subscribed to its channels on its own event loop, delivered to there, with at most one
 * timer entry in the loop's wheel. Subclasses say what a delivery and the timer do for their hold mode.
 * What an idle hold keeps: this object, its channel names (shared with the instruction) and its meta.
 */
abstract class Hold extends TimerWheel.Timer implements Subscriber, Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("handler");

    /** The exchange; null once a stream hold let go of it (see {@link GripExchange#compact()}). */
    GripExchange exchange;
    /** Where the response goes: the exchange itself, or what {@link GripExchange#compact()} left of it. */
    StreamOutput out;
    /** The hub and the metrics, shared by every hold of the server: one field per hold. */
    final HoldContext context;
    final EventLoop loop;
    /** Full channel names (route prefix included), as subscribed. */
    final String[] channels;
    /** Filters of each channel, same order; null when no channel has any. */
    final List<String>[] filters;
    final Map<String, String> meta;
    /** A stream following its next link hands its gone link to the hold of the link's answer through this. */
    private static final AttributeKey<GoneLink> FOLLOWING = AttributeKey.valueOf("pushpin.goneLink");
    /** The http-check/http-modify calls of this hold; null unless enabled and named (the usual case). */
    private final HttpFilters httpFilters;
    /** Posted to when this hold ends; null when the instruction had none (the usual case). */
    private GoneLink gone;
    private boolean ended;
    /** {@link #subscribe} ran: the channels and the held count are to be given back at the end. */
    private boolean subscribed;

    @SuppressWarnings("unchecked")
    Hold(GripExchange exchange, HoldContext context) {
        this.exchange = exchange;
        this.out = exchange;
        this.context = context;
        this.loop = exchange.channel().eventLoop();
        List<Channel> list = exchange.instruct().channels();
        String prefix = exchange.route().prefix() == null ? "" : exchange.route().prefix();
        this.channels = channelNames(list, prefix, exchange.target());
        List<String>[] f = null;
        for (int i = 0; i < list.size(); i++) {
            Channel c = list.get(i);
            channels[i] = prefix + c.name();
            if (!c.filters().isEmpty()) {
                if (f == null) {
                    f = new List[channels.length];
                }
                f[i] = c.filters();
            }
        }
        this.filters = f;
        Map<String, String> m = exchange.instruct().meta();
        this.meta = m.isEmpty() ? Map.of() : m;
        // As Pushpin: only the gone link of the answer to the client's own request counts, not a next link's.
        GoneLink carried = exchange.channel().hasAttr(FOLLOWING) ? exchange.channel().attr(FOLLOWING).getAndSet(null)
                : null;
        this.gone = exchange.streamStarted() ? carried : GoneLink.of(exchange);
        boolean named = false;
        if (context.httpFilters && f != null) {
            for (List<String> l : f) {
                named |= l != null && HttpFilters.named(l);
            }
        }
        this.httpFilters = named ? new HttpFilters(this, OriginCall.of(exchange)) : null;
    }

    /**
     * A followed next link answered without a stream hold, so the client's session ends here: the gone link the
     * stream handed on, if any, is posted now.
     */
    static void postHandedOnGoneLink(GripExchange exchange, HoldContext context) {
        if (exchange.channel().hasAttr(FOLLOWING)) {
            GoneLink g = exchange.channel().attr(FOLLOWING).getAndSet(null);
            if (g != null) {
                g.post(exchange.channel().eventLoop(), context.transport);
            }
        }
    }

    /** Ends to follow the next link: the client stays, so the gone link goes to the hold of the link's answer. */
    final void endToFollowLink() {
        if (gone != null) {
            exchange.channel().attr(FOLLOWING).set(gone);
            gone = null;
        }
        end();
    }

    /**
     * The instruction's channels with the route prefix, then the target's {@code sub=} channels (as written, no
     * prefix) that are not among them: 1.36 subscribes every hold through such a target to those as well.
     */
    private static String[] channelNames(List<Channel> list, String prefix, org.pushpin.routing.Target target) {
        List<String> implicit = target == null ? List.of() : target.subscriptions();
        String[] out = new String[list.size() + implicit.size()];
        int n = 0;
        for (Channel c : list) {
            out[n++] = prefix + c.name();
        }
        for (String s : implicit) {
            if (!java.util.Arrays.asList(out).subList(0, n).contains(s)) {
                out[n++] = s;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Subscribes and arranges for the end of the hold when the client goes away. */
    final void subscribe() {
        subscribed = true;
        context.metrics.holdStarted(kind());
        out.onClientClose(this);
        String url = LOG.isInfoEnabled() ? url() : null;
        for (int i = 0; i < channels.length; i++) {
            String c = channels[i];
            // Keep the hub's copy of the name: one String per channel on this loop instead of one per hold.
            channels[i] = context.hub.subscribe(loop, c, subscriber());
            if (url != null) {
                LOG.info("subscribe {} channel={}", url, c);
            }
        }
    }

    /** What the hub holds for this hold: itself, or what stands in for it while it resumes (docs/history.md). */
    Subscriber subscriber() {
        return this;
    }

    /** The request URL as Pushpin's handler logs it. */
    private String url() {
        String host = exchange.request().headers().get("Host");
        return (exchange.channel().pipeline().get("tls") != null ? "https://" : "http://")
                + (host == null || host.isEmpty() ? "localhost" : host) + exchange.request().uri();
    }

    /** The client connection closed: the hold ends (the hold is its own close listener, no object per hold). */
    @Override
    public final void run() {
        end();
    }

    /** Leaves every channel and the timer wheel; idempotent. */
    final void end() {
        if (ended) {
            return;
        }
        boolean subscribed = this.subscribed;
        ended = true;
        TimerWheel.of(loop).cancel(this);
        onEnd();
        if (subscribed) {
            context.metrics.holdEnded(kind());
            for (String c : channels) {
                context.hub.unsubscribe(loop, c, subscriber(), lingers());
            }
        }
        if (gone != null) {
            // Pushpin posts whenever the session ends: the client left, the timeout or a published answer, a close,
            // a long-poll asking the origin again.
            GoneLink g = gone;
            gone = null;
            g.post(loop, context.transport);
        }
    }

    /** For the held-connection counts. */
    abstract ServerMetrics.HoldKind kind();

    /**
     * Brings the hold up to date with the origin (docs/grip.md#next-links, docs/publishing.md#recover): a long-poll
     * asks again, a stream follows its link.
     */
    abstract void update();

    /** {@link #update} about a second after a channel's first subscription on this instance. */
    void updateAfterFirstSubscription() {
        update();
    }

    /** Releases what a subclass holds besides the channels and the main timer. */
    void onEnd() {
    }

    /** Whether the channels stay "subscribed" for subscription_linger after this hold leaves them. */
    boolean lingers() {
        return false;
    }

    final boolean ended() {
        return ended || out.isDone();
    }

    @Override
    public final void deliver(String channel, Published published) {
        offer(channel, published);
    }

    @Override
    public final DeliveryOutcome offer(String channel, Published published) {
        if (ended()) {
            return DeliveryOutcome.CLOSED;
        }
        PublishItem item = published.item();
        Format format = formatFor(item);
        if (format == null || !Filters.accepts(this, channel, item)) {
            return DeliveryOutcome.FILTERED;
        }
        if (!Filters.contentFiltersMatch(this, channel, format)) {
            // The publisher rendered the content for other content filters than this subscription's: Pushpin
            // ends the session rather than deliver content meant for someone else.
            contentFilterMismatch();
            return DeliveryOutcome.FILTER_ERROR;
        }
        if (httpFilters != null && (httpFilters.busy() || HttpFilters.named(filtersOf(channel)))) {
            httpFilters.add(channel, item, format, published);
            return DeliveryOutcome.DEFERRED;
        }
        return deliver(channel, item, format, published);
    }

    /** The item after the http filters: {@code format} may carry content an http-modify filter gave. */
    final void deliverFiltered(String channel, PublishItem item, Format format, Published published) {
        if (!ended()) {
            deliver(channel, item, format, published);
        }
    }

    /** Ends the session after an http filter failed in debug mode, {@code message} as the reason. */
    abstract void filterFailed(String message);

    final boolean debug() {
        return out.debug();
    }

    /** The instruction's channels (for their prev-ids), or none once a stream let go of its exchange. */
    final List<Channel> instructChannels() {
        return exchange == null ? List.of() : exchange.instruct().channels();
    }

    /** The origin's body, which a body-patch applies to. */
    final byte[] originBody() {
        return exchange == null ? new byte[0] : exchange.instruct().response().body();
    }

    /** Ends the session after a publish whose {@code content-filters} do not match this subscription's. */
    abstract void contentFilterMismatch();

    /** The item's format for this kind of hold, or null when it has none. */
    abstract Format formatFor(PublishItem item);

    /** Delivers an item that passed the filters; says what became of it (docs/delivery-feedback.md). */
    abstract DeliveryOutcome deliver(String channel, PublishItem item, Format format, Published published);

    /** The filters of {@code channel} (full name), never null. */
    final List<String> filtersOf(String channel) {
        if (filters == null) {
            return List.of();
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(channel)) {
                return filters[i] == null ? List.of() : filters[i];
            }
        }
        return List.of();
    }
}
