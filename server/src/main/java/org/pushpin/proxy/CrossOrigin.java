package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.pushpin.config.ProxyConfig;
import org.pushpin.routing.Route;

/**
 * {@code auto_cross_origin} ({@code [proxy]}, or a route's {@code aco}) for one client request: what its answers
 * get, where Pushpin 1.36 gives it. A JSON-P request's answer is wrapped in the call ({@link JsonpResponse}); any
 * other answer gets the CORS headers ({@link Cors}). A stream's head gets the CORS headers even for a JSON-P
 * request (1.36 does not wrap streams). Null where the option is off: nothing of this is made then.
 */
final class CrossOrigin {
    /** The client's own headers (before any JSON-P rewriting): what the CORS headers answer. */
    private final HttpHeaders clientHeaders;
    /** The JSON-P request, or null. */
    private final JsonpRequest jsonp;

    private CrossOrigin(HttpHeaders clientHeaders, JsonpRequest jsonp) {
        this.clientHeaders = clientHeaders;
        this.jsonp = jsonp;
    }

    /**
     * The policy for {@code request} on {@code route} (null: none matched), or null when the option is off there.
     * WebSockets are never affected.
     *
     * @throws JsonpRequest.Invalid a JSON-P request that cannot be read; answer it with {@link #invalid}
     */
    static CrossOrigin of(ProxyConfig proxy, Route route, HttpRequest request, boolean websocket)
            throws JsonpRequest.Invalid {
        if (websocket || !(proxy.autoCrossOrigin() || (route != null && route.autoCrossOrigin()))) {
            return null;
        }
        boolean hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        return new CrossOrigin(request.headers(), JsonpRequest.parse(request, hasBody, JsonpSettings.of(route)));
    }

    /** The 400 for an unreadable JSON-P request: the reason, with the CORS headers. */
    static FullHttpResponse invalid(ByteBufAllocator alloc, HttpVersion version, HttpRequest request,
                                    JsonpRequest.Invalid e) {
        FullHttpResponse r = ErrorResponses.text(alloc, version, 400, "Bad Request", e.getMessage());
        Cors.apply(request.headers(), r.headers());
        return r;
    }

    /** The JSON-P request, or null when the answers get CORS headers instead. */
    JsonpRequest jsonp() {
        return jsonp;
    }

    /** A relayed response's head or a stream's head (hop-by-hop headers removed, framing not set yet). */
    void addCors(HttpHeaders response) {
        Cors.apply(clientHeaders, response);
    }

    /**
     * An answer of Pushpin's own (an error) or to an instruction without a hold: wrapped as a relayed response
     * would be, or given the CORS headers. {@code lengthShown}: whether the extended object lists Content-Length
     * (1.36 lists it for its own answers, not for instructions, whose length it drops while rewriting them).
     */
    FullHttpResponse own(FullHttpResponse r, boolean lengthShown) {
        if (jsonp == null) {
            Cors.apply(clientHeaders, r.headers());
            return r;
        }
        if (!lengthShown) {
            r.headers().remove("Content-Length");
        }
        JsonpRelay wrap = new JsonpRelay(jsonp.response(), r.content().alloc(), r);
        wrap.buffer(r.content());
        FullHttpResponse out = wrap.whole(r.protocolVersion());
        r.release();
        return out;
    }

    /**
     * The answer a held request gets (a long-poll's timeout or published response, or its error): wrapped in the
     * held layout, keeping its other headers, or given the CORS headers.
     */
    FullHttpResponse held(FullHttpResponse r) {
        HttpHeaders headers = r.headers();
        if (jsonp == null) {
            Cors.apply(clientHeaders, headers);
            return r;
        }
        headers.remove("Content-Length");
        ByteBuf body = jsonp.response().held(r.content().alloc(), r.status().code(), r.status().reasonPhrase(),
                headers, r.content());
        FullHttpResponse out = new DefaultFullHttpResponse(r.protocolVersion(), HttpResponseStatus.OK, body);
        out.headers().set(headers);
        out.headers().remove("Content-Type");
        out.headers().add("Content-Type", JsonpResponse.CONTENT_TYPE);
        out.headers().setInt("Content-Length", body.readableBytes());
        r.release();
        return out;
    }
}
