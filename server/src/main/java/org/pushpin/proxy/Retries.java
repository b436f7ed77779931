package org.pushpin.proxy;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link ProxyExchange} asks its origin after the first answer: the original request again (Pushpin's GRIP
 * retry, with its kept body and extra headers such as {@code Grip-Last}), or a next link (Grip-Link rel=next) of a
 * started stream, asked again with a back-off when it fails. Created only when one of them happens.
 */
final class Retries {
    /** A next link is given up after this many non-2xx answers in a row. */
    private static final int LINK_ATTEMPTS = 5;

    private final ProxyExchange exchange;
    private final EventLoop loop;
    /** Set while a next link is fetched (GET): the link as resolved. */
    private URI link;
    /** Non-2xx answers of the current next link so far. */
    private int linkFailures;
    /** The headers added to the repeated origin request. */
    private List<Map.Entry<String, String>> extraHeaders;

    Retries(ProxyExchange exchange, EventLoop loop) {
        this.exchange = exchange;
        this.loop = loop;
    }

    /** The next link being fetched, or null while the original request is what the origin is asked. */
    URI link() {
        return link;
    }

    /** The headers added to the repeated request, or null before it went out. */
    List<Map.Entry<String, String>> extraHeaders() {
        return extraHeaders;
    }

    /** Whether the origin is asked the original request again, whose kept body then goes with it. */
    boolean repeatsRequest() {
        return extraHeaders != null && link == null;
    }

    /** The original request is to go out again, with {@code extraHeaders} added. */
    void repeatRequest(List<Map.Entry<String, String>> extraHeaders) {
        this.extraHeaders = List.copyOf(extraHeaders);
    }

    /** Fetches a next link for the started stream; its failures are counted afresh. */
    void fetchLink(URI next, List<Map.Entry<String, String>> extraHeaders) {
        linkFailures = 0;
        fetchLinkAgain(next, extraHeaders);
    }

    /**
     * The next link answered non-2xx: while nothing of the body went out ({@code bytesSent} is 0), Pushpin asks
     * again after 1, 2, 4, 8 and 16 s (plus up to 1 s); otherwise, or after the fifth failure, the stream ends.
     * Returns false when it is to end.
     */
    boolean retryLinkLater(long bytesSent) {
        if (bytesSent > 0 || linkFailures >= LINK_ATTEMPTS) {
            return false;
        }
        long delay = (1000L << linkFailures) + ThreadLocalRandom.current().nextLong(1000);
        linkFailures++;
        URI again = link;
        List<Map.Entry<String, String>> headers = extraHeaders;
        loop.schedule(() -> fetchLinkAgain(again, headers), delay, TimeUnit.MILLISECONDS);
        return true;
    }

    private void fetchLinkAgain(URI next, List<Map.Entry<String, String>> headers) {
        if (!exchange.streaming()) {
            return;
        }
        link = next;
        extraHeaders = List.copyOf(headers);
        exchange.askOrigin();
    }
}
