package org.pushpin.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed POST of WebSocket-over-HTTP is sent again (docs/websocket.md §3): only when the origin cannot have
 * acted on it (not reached, or the request not all sent), never the OPEN request, after 1, 2, 4, 8 and 16 s plus up
 * to 1 s, at most {@value #MAX} times in a row; an answered POST starts the count afresh. The count lives in the
 * connection (an int, not an object per connection).
 */
final class WsOverHttpRetries {
    static final int MAX = 5;
    private static final long FIRST_DELAY_MILLIS = 1000;
    private static final long JITTER_MILLIS = 1000;

    private WsOverHttpRetries() {
    }

    /** The delay before the next try after {@code failures} failed tries in a row, or -1: give up. */
    static long delay(int failures) {
        if (failures >= MAX) {
            return -1;
        }
        return (FIRST_DELAY_MILLIS << failures) + ThreadLocalRandom.current().nextLong(JITTER_MILLIS);
    }
}
