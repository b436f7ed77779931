package org.pushpin.message;

/** What a published format asks of a held connection. */
public enum Action {
    SEND,
    HINT,
    CLOSE,
    /** {@code ws-message} only (Pushpin 1.38+): a WebSocket-over-HTTP connection posts a request to its origin now. */
    REFRESH
}
