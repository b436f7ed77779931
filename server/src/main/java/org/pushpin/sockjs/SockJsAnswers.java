package org.pushpin.sockjs;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP answers of the SockJS endpoint, as Pushpin 1.36 words them: every one carries {@code Cache-Control:
 * no-store...} and the CORS pair (the client's {@code Origin}, or {@code *}, with credentials); a frame goes out as
 * {@code <frame>\n}, or inside the client's JSON-P callback as {@code /**}{@code /cb("<frame>");\n}.
 */
final class SockJsAnswers {
    private static final String NO_CACHE = "no-store, no-cache, must-revalidate, max-age=0";

    private SockJsAnswers() {
    }

    /**
     * A frame ({@code o}, {@code h}, {@code a[...]}, {@code c[...]}) to a polling request.
     *
     * @param callback the JSON-P callback, or null
     */
    static FullHttpResponse frame(ByteBufAllocator alloc, HttpHeaders request, String frame, String callback) {
        if (callback != null) {
            return script(alloc, request, frame, callback);
        }
        return text(alloc, request, 200, "OK", "text/plain", frame + "\n");
    }

    /**
     * One frame as the whole answer of a receiving request: a poll's, or a streaming transport's (its prelude and
     * the frame, then the end).
     *
     * @param framing  the streaming transport, or null for a poll
     * @param callback the poll's JSON-P callback or the htmlfile's callback, or null
     */
    static FullHttpResponse once(ByteBufAllocator alloc, HttpHeaders request, StreamFraming framing, String frame,
                                 String callback) {
        if (framing == null) {
            return frame(alloc, request, frame, callback);
        }
        return text(alloc, request, 200, "OK", framing.contentType, framing.prelude(callback) + framing.frame(frame));
    }

    /** The head of a streaming transport's answer. */
    static io.netty.handler.codec.http.HttpResponse streamHead(HttpHeaders request, StreamFraming framing) {
        var r = new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, framing.contentType);
        common(r.headers(), request);
        return r;
    }

    /** {@code ok} to a send request. */
    static FullHttpResponse sent(ByteBufAllocator alloc, HttpHeaders request, String callback) {
        return callback != null ? script(alloc, request, "ok", callback)
                : text(alloc, request, 200, "OK", "text/plain", "ok");
    }

    /** An error: {@code message} and a newline, as text. */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpHeaders request, int code, String reason,
                                  String message) {
        return text(alloc, request, code, reason, "text/plain", message + "\n");
    }

    /** The answer to {@code OPTIONS}: 204 (text/plain, which a Firefox needs even without a body). */
    static FullHttpResponse options(ByteBufAllocator alloc, HttpHeaders request) {
        return text(alloc, request, 204, "No Content", "text/plain", "");
    }

    static FullHttpResponse script(ByteBufAllocator alloc, HttpHeaders request, String body, String callback) {
        return text(alloc, request, 200, "OK", "application/javascript",
                "/**/" + callback + "(" + SockJsFrames.quote(body) + ");\n");
    }

    static FullHttpResponse text(ByteBufAllocator alloc, HttpHeaders request, int code, String reason,
                                 String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(code, reason),
                alloc.buffer(b.length).writeBytes(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        common(r.headers(), request);
        return r;
    }

    /** The headers every SockJS answer gets. */
    static void common(HttpHeaders out, HttpHeaders request) {
        if (!out.contains(HttpHeaderNames.CACHE_CONTROL)) {
            out.set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        }
        String origin = request.get(HttpHeaderNames.ORIGIN);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin == null ? "*" : origin);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }

    /** An answer of the origin's (a refused session): as it is, with the SockJS headers added. */
    static FullHttpResponse relayed(FullHttpResponse origin, HttpHeaders request) {
        common(origin.headers(), request);
        return origin;
    }

    static String md5Hex(byte[] data) {
        try {
            return ByteBufUtil.hexDump(java.security.MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is in every JDK", e);
        }
    }
}
