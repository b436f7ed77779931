package org.pushpin.message;

/** What a published format asks of a held connection. */
public enum Action {
    SEND,
    HINT,
    CLOSE,
    /**
     * Pushpin 1.38+: a WebSocket-over-HTTP connection posts a request to its origin now. Read in every format, as
     * Pushpin reads it, but HTTP holds ignore it.
     */
    REFRESH
}
