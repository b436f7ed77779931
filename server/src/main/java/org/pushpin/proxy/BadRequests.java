package org.pushpin.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Texts of the 400 answered to requests that cannot be parsed (the wording of Pushpin 1.40+), and a check. */
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

    /**
     * No {@code Transfer-Encoding}, or exactly one {@code chunked} (empty list elements and the no-op
     * {@code identity} aside): the one coding requests are decoded from. Another coding must not be dropped on the
     * way (the origin would misread the body; RFC 9112 §6.1).
     */
    static boolean onlyChunked(HttpHeaders headers) {
        List<String> te = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (te.isEmpty()) {
            return true;
        }
        int chunked = 0;
        for (String line : te) {
            for (String coding : line.split(",", -1)) {
                String c = coding.trim();
                if (c.isEmpty() || c.equalsIgnoreCase("identity")) {
                    continue;
                }
                if (!c.equalsIgnoreCase("chunked")) {
                    return false;
                }
                chunked++;
            }
        }
        return chunked == 1;
    }
}
