package org.pushpin.bench.load;

/** How a client holds its connection; each maps to a path of the origin (see SseHoldOrigin). */
enum Mode {
    /** {@code GET /sse/i}: a GRIP stream hold answered as {@code text/event-stream}. */
    SSE("/sse/", "Accept: text/event-stream\r\n"),
    /** {@code GET /stream/i}: a GRIP stream hold with a plain body. */
    STREAM("/stream/", ""),
    /** {@code GET /poll/i}: a GRIP response hold; after each response the client asks again (a reconnect). */
    POLL("/poll/", "");

    final String pathPrefix;
    final String extraHeaders;

    Mode(String pathPrefix, String extraHeaders) {
        this.pathPrefix = pathPrefix;
        this.extraHeaders = extraHeaders;
    }

    /** A stream hold counts as held at its first body bytes; a response hold has none until a publish. */
    boolean streams() {
        return this != POLL;
    }
}
