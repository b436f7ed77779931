package org.pushpin.hold;

import java.util.List;
import java.util.Map;
import org.pushpin.grip.Channel;
import org.pushpin.hub.DeliveryOutcome;
import org.pushpin.hub.Published;
import org.pushpin.message.Action;
import org.pushpin.message.Format;
import org.pushpin.message.HttpResponseFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.RelayGripHandoff;
import org.pushpin.timer.TimerWheel;

/**
 * {@code Grip-Hold: response} (long-poll): nothing is sent until an {@code http-response} publish, which becomes
 * the response, or until {@code Grip-Timeout}, when the origin's own response is sent. The one timer entry is the
 * timeout.
 */
class ResponseHold extends Hold {
    ResponseHold(GripExchange exchange, HoldContext context) {
        super(exchange, context);
    }

    private boolean retried;

    void start() {
        exchange.hold();
        if (lastIdMismatch()) {
            // The channel moved on since the origin's prev-id: let the origin catch the client up at once.
            retried = true;
            exchange.retry(gripLast());
            return;
        }
        subscribe();
        TimerWheel.of(loop).schedule(this, exchange.instruct().timeout() * 1000L);
    }

    /** True when a channel's last published id is known and differs from the prev-id the origin gave. */
    final boolean lastIdMismatch() {
        boolean mismatch = false;
        for (Channel c : exchange.instruct().channels()) {
            // a pattern spans many channels, each with its own ids: a prev-id given for one compares with none
            if (c.prevId() != null && !context.hub.isWildcard(prefixed(c.name()))) {
                String full = prefixed(c.name());
                String last = context.hub.lastId(full);
                if (last != null && !last.equals(c.prevId())) {
                    context.hub.forgetLastId(full);
                    mismatch = true;
                }
            }
        }
        return mismatch;
    }

    private String prefixed(String name) {
        String prefix = exchange.route().prefix();
        return prefix == null ? name : prefix + name;
    }

    /** The retry shortly after a channel's first subscription (docs/grip.md#retries): once per hold. */
    @Override
    void updateAfterFirstSubscription() {
        if (!retried) {
            update();
        }
    }

    @Override
    void contentFilterMismatch() {
        end();
        exchange.fail("content filter mismatch");
    }

    /** Asks the origin again (once: a hold on several channels hears of an update once per channel). */
    @Override
    void update() {
        if (ended()) {
            return;
        }
        retried = true;
        end();
        exchange.retry(gripLast());
    }

    @Override
    boolean lingers() {
        return true;
    }

    @Override
    Format formatFor(PublishItem item) {
        return item.httpResponse();
    }

    @Override
    public Mode mode() {
        return Mode.RESPONSE;
    }

    @Override
    ServerMetrics.HoldKind kind() {
        return ServerMetrics.HoldKind.RESPONSE;
    }

    @Override
    DeliveryOutcome deliver(String channel, PublishItem item, Format format, Published published) {
        HttpResponseFormat f = (HttpResponseFormat) format;
        if (f.action() == Action.HINT) {
            // Ask the origin again; its new answer decides (it may hold again).
            end();
            exchange.retry(gripLast());
            return DeliveryOutcome.DELIVERED;
        }
        if (f.action() != Action.SEND) {
            return DeliveryOutcome.FILTERED; // close is accepted but ignored for this format
        }
        String expected = prevIdOf(channel);
        if (item.prevId() != null && expected != null && !item.prevId().equals(expected)) {
            // Not the item this client is waiting for: the origin tells it what it missed.
            end();
            exchange.retry(gripLast());
            return DeliveryOutcome.FILTERED;
        }
        end();
        context.metrics.responseDelivered();
        try {
            exchange.respond(PublishedResponse.build(exchange, f, Filters.substitutes(this, channel) ? meta : null));
        } catch (PublishedResponse.BuildException e) {
            exchange.fail(e.getMessage());
            return DeliveryOutcome.FILTER_ERROR;
        }
        return DeliveryOutcome.DELIVERED;
    }

    @Override
    void filterFailed(String message) {
        end();
        exchange.fail(message);
    }

    private String prevIdOf(String fullChannel) {
        for (Channel c : exchange.instruct().channels()) {
            if (prefixed(c.name()).equals(fullChannel)) {
                return c.prevId();
            }
        }
        return null;
    }

    private List<Map.Entry<String, String>> gripLast() {
        return NextLinks.gripLast(exchange.instruct());
    }

    /** Stopping: the long-poll gets the origin's timeout answer now, as if its time had come. */
    @Override
    public void drain() {
        onTimeout();
    }

    @Override
    protected void onTimeout() {
        if (ended()) {
            return;
        }
        end();
        exchange.respond(RelayGripHandoff.toClientResponse(exchange, exchange.instruct().response()));
    }
}
