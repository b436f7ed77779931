package org.pushpin.hold;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.pushpin.grip.HoldMode;
import org.pushpin.hub.DeliveryKind;
import org.pushpin.hub.Hub;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.GripHandoff;
import org.pushpin.proxy.RelayGripHandoff;
import org.pushpin.transport.Transport;

/**
 * The holds' side of the GRIP seam: an instruction with a hold becomes a {@link ResponseHold} or a
 * {@link StreamHold} subscribed through the {@link Hub}; one without is relayed as Pushpin relays it.
 */
public final class HoldHandoff implements GripHandoff {
    static final long FIRST_SUBSCRIPTION_RETRY_MILLIS = 1000;

    private final HoldContext context;
    private final RelayGripHandoff relay = new RelayGripHandoff();

    /**
     * The kinds of held connection the holds deliver to (HTTP streams, GRIP WebSockets): give them to the
     * {@link Hub} that serves the holds and the {@link WsGripSessions}.
     */
    public static List<DeliveryKind<?>> deliveryKinds() {
        return List.of(HttpStreamDelivery.INSTANCE, WsMessageDelivery.INSTANCE);
    }

    /** @param hub built with {@link #deliveryKinds()} */
    public HoldHandoff(Hub hub, ServerMetrics metrics) {
        this(hub, metrics, Transport.best(), true);
    }

    /**
     * @param hub                       built with {@link #deliveryKinds()}
     * @param transport                 what the gone links' POSTs connect with
     * @param updateOnFirstSubscription {@code update_on_first_subscription} (Pushpin 1.41; true before it)
     */
    public HoldHandoff(Hub hub, ServerMetrics metrics, Transport transport, boolean updateOnFirstSubscription) {
        this(hub, metrics, transport, updateOnFirstSubscription, false);
    }

    /** @param httpFilters {@code [handler] http_filters}: http-check and http-modify act (Pushpin 2.0 work) */
    public HoldHandoff(Hub hub, ServerMetrics metrics, Transport transport, boolean updateOnFirstSubscription,
                       boolean httpFilters) {
        Objects.requireNonNull(hub, "hub");
        this.context = new HoldContext(hub, Objects.requireNonNull(metrics, "metrics"),
                Objects.requireNonNull(transport, "transport"), httpFilters);
        if (updateOnFirstSubscription) {
            updateOnFirstSubscription(hub);
        }
        // recover (docs/publishing.md#recover): every HTTP hold updates: long-polls ask the origin again, streams
        // with a next link fetch it.
        hub.onRecover(() -> {
            for (String channel : hub.channelNames()) {
                hub.forEachSubscriber(channel, s -> {
                    if (unwrap(s) instanceof Hold hold) {
                        hold.update();
                    }
                });
            }
        });
    }

    private static void updateOnFirstSubscription(Hub hub) {
        // About a second after a channel's first subscription, response holds on it ask the origin again: a
        // publish made between the origin's answer and the subscription would otherwise be missed.
        hub.onFirstSubscription(channel -> GlobalEventExecutor.INSTANCE.schedule(
                () -> hub.forEachSubscriber(channel, s -> {
                    if (unwrap(s) instanceof Hold hold) {
                        hold.updateAfterFirstSubscription();
                    }
                }), FIRST_SUBSCRIPTION_RETRY_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** A resuming stream when history is on and the client names the id it saw last (docs/history.md). */
    private StreamHold streamHold(GripExchange exchange) {
        String resumeId = context.hub.history() != null ? ResumingStreamHold.resumeId(exchange.request()) : null;
        return resumeId == null ? new StreamHold(exchange, context)
                : new ResumingStreamHold(exchange, context, resumeId);
    }

    /** A long-poll answered from history when history is on and the origin gave a prev-id (docs/history.md). */
    private ResponseHold responseHold(GripExchange exchange) {
        return context.hub.history() != null && ResumingResponseHold.hasPrevId(exchange)
                ? new ResumingResponseHold(exchange, context) : new ResponseHold(exchange, context);
    }

    /** The hold behind a hub subscriber (a resuming hold is subscribed through its gate). */
    private static org.pushpin.hub.Subscriber unwrap(org.pushpin.hub.Subscriber s) {
        return s instanceof org.pushpin.hub.ResumeGate g ? g.target() : s;
    }

    @Override
    public void accept(GripExchange exchange) {
        HoldMode mode = exchange.instruct().holdMode();
        if (exchange.streamStarted()) {
            NextLinks.continueStream(exchange, context);
            return;
        }
        switch (mode) {
            case RESPONSE -> responseHold(exchange).start();
            case STREAM -> streamHold(exchange).start();
            default -> {
                if (exchange.instruct().nextLink() != null) {
                    NextLinks.startChain(exchange);
                } else {
                    relay.accept(exchange);
                }
            }
        }
    }
}
