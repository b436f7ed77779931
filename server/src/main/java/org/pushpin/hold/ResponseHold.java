package org.pushpin.hold;

import org.pushpin.hub.Hub;
import org.pushpin.hub.SharedContent;
import org.pushpin.message.Action;
import org.pushpin.message.Format;
import org.pushpin.message.HttpResponseFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.RelayGripHandoff;
import org.pushpin.timer.TimerWheel;

/**
 * {@code Grip-Hold: response} (long-poll): nothing is sent until an {@code http-response} publish, which becomes
 * the response, or until {@code Grip-Timeout}, when the origin's own response is sent. The one timer entry is the
 * timeout.
 */
final class ResponseHold extends Hold {
    ResponseHold(GripExchange exchange, Hub hub) {
        super(exchange, hub);
    }

    void start() {
        exchange.hold();
        subscribe();
        TimerWheel.of(loop).schedule(this, exchange.instruct().timeout() * 1000L);
    }

    @Override
    Format formatFor(PublishItem item) {
        return item.httpResponse();
    }

    @Override
    void deliver(String channel, PublishItem item, Format format, SharedContent shared) {
        HttpResponseFormat f = (HttpResponseFormat) format;
        if (f.action() != Action.SEND) {
            return; // close is ignored for this format; hint needs a retry of the origin request
        }
        end();
        try {
            exchange.respond(PublishedResponse.build(exchange, f, Filters.substitutes(this, channel) ? meta : null));
        } catch (PublishedResponse.BuildException e) {
            exchange.fail(e.getMessage());
        }
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
