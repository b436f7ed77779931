package org.pushpin.bench.load;

/** What kind of connection the load generator holds, and the origin path that makes the origin hold it. */
enum Mode {
    /** {@code GET /sse/i}: a GRIP stream hold answered as {@code text/event-stream}. */
    SSE("/sse/", "Accept: text/event-stream\r\n"),
    /** {@code GET /stream/i}: a GRIP stream hold with a plain body. */
    STREAM("/stream/", ""),
    /** {@code GET /poll/i}: a GRIP response hold; after each response the client asks again (a reconnect). */
    POLL("/poll/", ""),
    /**
     * A WebSocket to {@code /ws/i}, relayed to the origin as a WebSocket (passthrough); the origin answers with the
     * GRIP extension and subscribes it with a {@code c:} control message.
     */
    WS("/ws/", ""),
    /**
     * A WebSocket to {@code /wsh/i}, which the server's route turns into WebSocket-over-HTTP ({@code over_http});
     * the origin subscribes it in its answer to the {@code OPEN} request.
     */
    WS_OVER_HTTP("/wsh/", "");

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

    /** Published to as {@code ws-message}; counts as held once a published probe arrived (see {@link WsClient}). */
    boolean websocket() {
        return this == WS || this == WS_OVER_HTTP;
    }
}
