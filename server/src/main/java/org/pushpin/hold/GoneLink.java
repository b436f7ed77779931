package org.pushpin.hold;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.List;
import org.pushpin.proxy.GripExchange;
import org.pushpin.transport.Transport;

/**
 * {@code Grip-Link: <uri>; rel=gone} (Pushpin 1.41, docs/grip.md#gone-links): when the hold that the link came with
 * ends, a bodiless {@code POST} goes to the link ({@link OriginCall} says where), best effort: the answer is read and
 * dropped, a failure is only logged. Made only for holds that have a gone link, so other holds pay one null field.
 *
 * @param uri  the link, resolved against the client's request URL
 * @param call where and how it is sent
 */
record GoneLink(URI uri, OriginCall call) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("handler");
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int TIMEOUT_SECONDS = 30;

    /** The gone link of {@code exchange}'s instruction, or null when it has none. */
    static GoneLink of(GripExchange exchange) {
        URI uri = exchange.instruct().goneLink();
        return uri == null ? null : new GoneLink(uri, OriginCall.of(exchange));
    }

    /** Sends the POST from {@code loop}; never throws. */
    void post(EventLoop loop, Transport transport) {
        call.post(loop, transport, uri, List.of(), new byte[0], MAX_ANSWER_BYTES, TIMEOUT_SECONDS, a -> {
            if (a.error() != null) {
                LOG.debug("failed to request gone link {}: {}", uri, a.error());
            }
        });
    }
}
