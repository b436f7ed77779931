package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Pushpin's own answers (docs/compatibility.md#error-answers): text/plain, a Content-Length and a trailing newline. */
public final class ErrorResponses {
    public static final String PROXY_ERROR = "Error while proxying to origin.";

    private ErrorResponses() {
    }

    public static FullHttpResponse text(ByteBufAllocator alloc, HttpVersion version, int code, String reason,
                                        String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(version, new HttpResponseStatus(code, reason),
                alloc.buffer(body.length).writeBytes(body));
        r.headers().set("Content-Type", "text/plain");
        r.headers().setInt("Content-Length", body.length);
        return r;
    }

    public static FullHttpResponse badGateway(ByteBufAllocator alloc, HttpVersion version, String message) {
        return text(alloc, version, 502, "Bad Gateway", message);
    }

    /** The 502 for a proxying failure: the plain text normally, the reason itself in debug mode. */
    public static FullHttpResponse proxyError(ByteBufAllocator alloc, HttpVersion version, boolean debug,
                                              String debugMessage) {
        return badGateway(alloc, version, debug ? debugMessage : PROXY_ERROR);
    }
}
