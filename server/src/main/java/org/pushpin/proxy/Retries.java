package org.pushpin.proxy;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a {@link ProxyExchange} asks its origin again after the first answer: the original request again (Pushpin's
 * GRIP retry, with its kept body and extra headers such as {@code Grip-Last}) while nothing went to the client, or a
 * next link (Grip-Link rel=next) of a started stream, asked again with a back-off when it fails. What is asked is
 * the {@link ClientRequest}'s to say. Created only when one of them happens.
 */
final class Retries {
    /** A next link is given up after this many non-2xx answers in a row. */
    private static final int LINK_ATTEMPTS = 5;

    private final ProxyExchange exchange;
    private final ClientRequest request;
    private final ResponseRelay relay;
    private final EventLoop loop;
    /** Non-2xx answers of the current next link so far. */
    private int linkFailures;

    Retries(ProxyExchange exchange, ClientRequest request, ResponseRelay relay, EventLoop loop) {
        this.exchange = exchange;
        this.request = request;
        this.relay = relay;
        this.loop = loop;
    }

    /**
     * Sends the original request to the origin again (Pushpin's retry: same route, the kept body, plus
     * {@code extraHeaders} such as {@code Grip-Last}); the answer is handled as the first one was. Only before any
     * response byte went to the client.
     */
    void retry(List<Map.Entry<String, String>> extraHeaders) {
        if (exchange.isDone() || relay.started()) {
            return;
        }
        request.repeat(extraHeaders);
        exchange.retrying();
    }

    /**
     * Fetches a next link for a started stream: a GET through the same route, its answer buffered and handed to the
     * GRIP hand-off as a continuation of the stream. Its failures are counted afresh.
     */
    void fetchLink(URI next, List<Map.Entry<String, String>> extraHeaders) {
        linkFailures = 0;
        fetchLinkAgain(next, extraHeaders);
    }

    /** The next link answered non-2xx: it is asked again later, or the stream ends. */
    void linkFailed() {
        if (!retryLinkLater()) {
            exchange.endHeldStream();
        }
    }

    /**
     * While nothing of the body went out, Pushpin asks a failed next link again after 1, 2, 4, 8 and 16 s (plus up
     * to 1 s); otherwise, or after the fifth failure, the stream ends. Returns false when it is to end.
     */
    private boolean retryLinkLater() {
        if (relay.bytes() > 0 || linkFailures >= LINK_ATTEMPTS) {
            return false;
        }
        long delay = (1000L << linkFailures) + ThreadLocalRandom.current().nextLong(1000);
        linkFailures++;
        URI again = request.link();
        List<Map.Entry<String, String>> headers = request.extraHeaders();
        loop.schedule(() -> fetchLinkAgain(again, headers), delay, TimeUnit.MILLISECONDS);
        return true;
    }

    private void fetchLinkAgain(URI next, List<Map.Entry<String, String>> headers) {
        if (exchange.isDone() || !relay.started()) {
            return;
        }
        request.fetch(next, headers);
        exchange.askOrigin();
    }
}
