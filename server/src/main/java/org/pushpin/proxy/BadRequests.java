package org.pushpin.proxy;

import io.netty.handler.codec.TooLongFrameException;

/** Texts of the 400 answered to requests that cannot be parsed (the wording of Pushpin 1.40+). */
final class BadRequests {
    private BadRequests() {
    }

    static String describe(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            return "Request header size exceeded limit.";
        }
        String m = cause == null ? null : cause.getMessage();
        return "Failed to parse request: " + (m == null ? "invalid request" : m);
    }
}
