package org.pushpin.message;

/** What a published format asks of a held connection. */
public enum Action {
    SEND,
    HINT,
    CLOSE
}
