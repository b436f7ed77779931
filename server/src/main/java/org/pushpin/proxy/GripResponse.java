package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.GripDetector;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;
import org.pushpin.grip.InstructException;
import org.pushpin.grip.InstructParser;

/** Turns a buffered GRIP origin response into an {@link Instruct} and hands it to the {@link GripHandoff}. */
final class GripResponse {
    private GripResponse() {
    }

    /** {@link GripDetector#isInstruct} on Netty's headers without copying them: this runs for every response. */
    static boolean isInstruct(HttpHeaders headers) {
        if (GripDetector.isInstructType(headers.get("Content-Type"))) {
            return true;
        }
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
                it.hasNext(); ) {
            if (GripDetector.isGripHeader(it.next().getKey().toString())) {
                return true;
            }
        }
        return false;
    }

    static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
        List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> e : headers) {
            list.add(Map.entry(e.getKey(), e.getValue()));
        }
        return list;
    }

    static void handle(ProxyExchange exchange, HttpResponse origin, ByteBuf body) {
        if (exchange.fetchingLink()) {
            int code = origin.status().code();
            if (code < 200 || code >= 300) {
                if (!exchange.retryLinkLater()) {
                    exchange.endHeldStream();
                }
                return;
            }
        } else if (exchange.requestBytes() > ProxyExchange.GRIP_BUFFER_MAX) {
            exchange.respond(ErrorResponses.text(exchange.client().channel().alloc(), exchange.client().version(),
                    400, "Bad Request", "Request too large to accept GRIP instruct."), "error");
            return;
        }
        Instruct instruct;
        try {
            instruct = parse(exchange, origin, ByteBufUtil.getBytes(body));
        } catch (InstructException e) {
            exchange.failBeforeResponse("Failed to parse accept instructions: " + e.getMessage());
            return;
        }
        exchange.context().gripHandoff().accept(new ProxyGripExchange(exchange, instruct));
    }

    private static Instruct parse(ProxyExchange exchange, HttpResponse origin, byte[] body) throws InstructException {
        URI uri = requestUri(exchange);
        return InstructParser.parse(origin.status().code(), origin.status().reasonPhrase(), entries(origin.headers()),
                body, uri, exchange.context().config().handler().connectionSubscriptionMax());
    }

    static URI requestUri(ProxyExchange exchange) {
        if (exchange.fetchingLink()) {
            return exchange.link();
        }
        try {
            return URI.create(exchange.info.url());
        } catch (IllegalArgumentException e) {
            return URI.create((exchange.info.tls() ? "https://" : "http://") + "localhost/");
        }
    }

    /** A stream hold, or a next link without hold, and no build-id filter: the body may pass unbuffered. */
    static boolean streamable(Instruct instruct) {
        boolean streamingHold = instruct.holdMode() == HoldMode.STREAM
                || (instruct.holdMode() == HoldMode.NONE && instruct.nextLink() != null);
        return streamingHold && instruct.channels().stream().noneMatch(c -> c.filters().contains("build-id"));
    }

    /**
     * An instruction body over the limit: a stream hold (or a next link without hold) is streamed to the client
     * as it arrives; anything else is an error (spec grip.md §2).
     */
    static void tooLarge(ProxyExchange exchange, ByteBuf buffered, boolean last) {
        try {
            HttpResponse origin = exchange.originResponseHead();
            Instruct instruct;
            try {
                instruct = parse(exchange, origin, new byte[0]);
            } catch (InstructException e) {
                exchange.failBeforeResponse("Failed to parse accept instructions: " + e.getMessage());
                return;
            }
            if (!streamable(instruct)) {
                exchange.failBeforeResponse("GRIP instruct response too large from " + exchange.target().address());
                return;
            }
            HttpResponse head = RelayGripHandoff.head(exchange.client().version(), instruct.response());
            exchange.startRelay(origin, head);
            exchange.continueRelayAfterBuffer(buffered, last,
                    instruct.holdMode() == HoldMode.STREAM ? instruct : null);
        } finally {
            buffered.release();
        }
    }
}
