package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.GripDetector;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;
import org.pushpin.grip.InstructException;
import org.pushpin.grip.InstructParser;

/**
 * A GRIP answer of the origin (or of the test target) on its way to the {@link GripHandoff}: its body buffered up
 * to {@link #BUFFER_MAX} bytes, parsed into an {@link Instruct} and handed over through the exchange. A body over
 * the limit is relayed as it arrives when the instruction allows it (docs/grip.md#limits).
 */
final class GripResponse {
    /** The largest instruction body accepted, and the request bytes kept for GRIP retries (docs/grip.md#limits). */
    static final int BUFFER_MAX = 100_000;

    private static final org.slf4j.Logger HANDLER_LOG = org.slf4j.LoggerFactory.getLogger("handler");

    private final ProxyExchange exchange;
    private final HttpResponse head;
    /** What relative links of the instruction resolve against: the request's URL, or the next link fetched. */
    private final URI requestUri;
    /** The answer to a next link of a started stream, not to the client's request. */
    private final boolean nextLink;
    private final int subscriptionMax;
    /** The body buffered so far; null once handed on. */
    private CompositeByteBuf body;

    GripResponse(ProxyExchange exchange, HttpResponse head, URI requestUri, boolean nextLink, int subscriptionMax,
                 CompositeByteBuf body) {
        this.exchange = exchange;
        this.head = head;
        this.requestUri = requestUri;
        this.nextLink = nextLink;
        this.subscriptionMax = subscriptionMax;
        this.body = body;
    }

    /** {@link GripDetector#isInstruct} on Netty's headers without copying them: this runs for every response. */
    static boolean isInstruct(HttpHeaders headers) {
        if (GripDetector.isInstructType(headers.get("Content-Type"))) {
            return true;
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            if (GripDetector.isGripHeader(it.next().getKey().toString())) {
                return true;
            }
        }
        return false;
    }

    private static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
        List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> e : headers) {
            list.add(Map.entry(e.getKey(), e.getValue()));
        }
        return list;
    }

    /** A stream hold, or a next link without hold, and no build-id filter: the body may pass unbuffered. */
    private static boolean streamable(Instruct instruct) {
        boolean streamingHold = instruct.holdMode() == HoldMode.STREAM
                || (instruct.holdMode() == HoldMode.NONE && instruct.nextLink() != null);
        return streamingHold && instruct.channels().stream().noneMatch(c -> c.filters().contains("build-id"));
    }

    // ---- buffering --------------------------------------------------------------------------------------------

    /** Buffers a part of the body (taking ownership of it); true while more is wanted: not the last, not too much. */
    boolean add(HttpContent content) {
        body.addComponent(true, content.content().retain());
        content.release();
        return !(content instanceof LastHttpContent) && body.readableBytes() <= BUFFER_MAX;
    }

    /** Whether the buffered body went over {@link #BUFFER_MAX}. */
    boolean overLimit() {
        return body.readableBytes() > BUFFER_MAX;
    }

    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    // ---- handing on -------------------------------------------------------------------------------------------

    /** The whole body is buffered (and the origin let go): see {@link #handOff(ByteBuf, long)}. */
    void handOff(long requestBytes) {
        CompositeByteBuf buffered = body;
        body = null;
        try {
            handOff(buffered, requestBytes);
        } finally {
            buffered.release();
        }
    }

    /**
     * Hands the instruction in {@code body} over, or answers why not: a failed next link is the exchange's to ask
     * again, a request too large to have been kept for retries ({@code requestBytes}) is refused, a bad instruction
     * is Pushpin's 502. {@code body} stays the caller's.
     */
    void handOff(ByteBuf body, long requestBytes) {
        if (nextLink) {
            int code = head.status().code();
            if (code < 200 || code >= 300) {
                exchange.retries().linkFailed();
                return;
            }
        } else if (requestBytes > BUFFER_MAX) {
            exchange.respondText(400, "Bad Request", "Request too large to accept GRIP instruct.", "error");
            return;
        }
        Instruct instruct;
        try {
            instruct = parse(ByteBufUtil.getBytes(body));
        } catch (InstructException e) {
            exchange.failBeforeResponse("Failed to parse accept instructions: " + e.getMessage());
            return;
        }
        exchange.handOff(instruct);
    }

    /**
     * The body went over the limit: a stream hold (or a next link without hold) is relayed as it arrives, what was
     * buffered first, {@code last} when that was all of it; anything else is an error (docs/grip.md#limits).
     */
    void relayInstead(boolean last) {
        CompositeByteBuf buffered = body;
        body = null;
        if (nextLink) {
            buffered.release();
            exchange.nextLinkTooLarge();
            return;
        }
        try {
            Instruct instruct;
            try {
                instruct = parse(new byte[0]);
            } catch (InstructException e) {
                exchange.failBeforeResponse("Failed to parse accept instructions: " + e.getMessage());
                return;
            }
            if (!streamable(instruct)) {
                exchange.failBeforeResponse("GRIP instruct response too large from " + exchange.target().address());
                return;
            }
            exchange.relayInstead(head, instruct, buffered, last);
        } finally {
            buffered.release();
        }
    }

    private Instruct parse(byte[] bytes) throws InstructException {
        Instruct instruct = InstructParser.parse(head.status().code(), head.status().reasonPhrase(),
                entries(head.headers()), bytes, requestUri, subscriptionMax);
        if (!instruct.warnings().isEmpty()) {
            // at the route's log_level (debug unless set), as Pushpin 1.41 logs "too many subscriptions"
            org.pushpin.routing.Route route = exchange.route();
            for (String w : instruct.warnings()) {
                HANDLER_LOG.atLevel(route.messageLevel()).log("httpsession: {} route={}", w, route.routeId());
            }
        }
        return instruct;
    }
}
