package org.pushpin.proxy;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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

    /** What makes a parsed request head unusable, as the 400's text; null when it is fine. */
    static String problem(HttpRequest request, int maxHeaders) {
        boolean optionsStar = request.uri().equals("*") && request.method().name().equals("OPTIONS");
        if (!request.uri().startsWith("/") && !optionsStar) {
            return "Failed to parse request: invalid request target";
        }
        if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return "Failed to parse request: more than one Host header";
        }
        if (request.headers().size() > maxHeaders) {
            return "Failed to parse request: too many headers";
        }
        if (!onlyChunked(request.headers())) {
            // §6.1: a coding we do not apply must not be dropped on the way (the origin would misread the body)
            return "Failed to parse request: unsupported transfer coding";
        }
        return null;
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
