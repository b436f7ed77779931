package org.pushpin.hold;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Channel;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.RelayGripHandoff;

/**
 * {@code Grip-Link: <uri>; rel=next} (docs/grip.md#next-links): the response is a stream made of the first answer's
 * body and then each linked answer's body, fetched in turn, until an answer has no next link (the stream ends) or holds
 * a stream (it stays open on that answer's channels).
 */
final class NextLinks {
    private NextLinks() {
    }

    /** No hold but a next link: head and first body now, then the link. */
    static void startChain(GripExchange exchange) {
        exchange.startStream(RelayGripHandoff.head(exchange.request().protocolVersion(),
                exchange.instruct().response()));
        continueWith(exchange);
    }

    /** The answer to a next link of a started stream. */
    static void continueStream(GripExchange exchange, HoldContext context) {
        HoldMode mode = exchange.instruct().holdMode();
        if (mode == HoldMode.STREAM) {
            new StreamHold(exchange, context).start();
            return;
        }
        if (mode == HoldMode.RESPONSE || exchange.instruct().nextLink() == null) {
            // the chain ends with this answer (a further link keeps the gone link on the connection)
            Hold.postHandedOnGoneLink(exchange, context);
        }
        if (mode == HoldMode.RESPONSE) {
            if (exchange.debug()) {
                exchange.write(Unpooled.copiedBuffer("\n\nnext link answered with a response hold\n",
                        StandardCharsets.UTF_8));
            }
            exchange.endStream();
        } else {
            continueWith(exchange);
        }
    }

    private static void continueWith(GripExchange exchange) {
        Instruct in = exchange.instruct();
        if (in.response().bodyLength() > 0) {
            exchange.write(Unpooled.wrappedBuffer(in.response().body()));
        }
        if (exchange.isDone()) {
            return;
        }
        if (in.nextLink() != null) {
            exchange.fetchLink(in.nextLink().uri(), gripLast(in));
        } else {
            exchange.endStream();
        }
    }

    /** {@code Grip-Last: <channel>; last-id=<prev-id>} for each channel with a prev-id. */
    static List<Map.Entry<String, String>> gripLast(Instruct in) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Channel c : in.channels()) {
            if (c.prevId() != null) {
                out.add(Map.entry("Grip-Last", c.name() + "; last-id=" + c.prevId()));
            }
        }
        return out;
    }
}
