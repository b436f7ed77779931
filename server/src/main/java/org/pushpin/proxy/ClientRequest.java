package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.pushpin.config.ProxyConfig;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;
import org.pushpin.routing.Target;

/**
 * The client's request in one {@link ProxyExchange}: its head, its route and what the connection learned of it,
 * how much of its body came, the first {@link GripResponse#BUFFER_MAX} bytes of that body kept for retries, and
 * what an origin is sent for it: the request, the request again with extra headers (a GRIP retry), or the GET of
 * a next link of the stream.
 */
final class ClientRequest {
    private final HttpRequest head;
    private final RequestInfo info;
    private final Route route;
    private final boolean trusted;
    /** The origin's answer goes to the client as it is, never read as GRIP (no_grip route, or trusted client). */
    private final boolean passthrough;
    /** {@code auto_cross_origin} for this request, or null. */
    private final CrossOrigin crossOrigin;
    /** The body was given with the request (JSON-P): it is sent whole with the head, every time. */
    private final boolean bodyGiven;
    private boolean complete;
    private long bytes;
    private CompositeByteBuf kept;
    /** Set once the origin is asked again: the headers added to the request (or to the link's GET). */
    private List<Map.Entry<String, String>> extraHeaders;
    /** Set while a next link is fetched: the link as resolved. */
    private URI link;

    /**
     * @param info        for a JSON-P request, with the URI the origin is asked for
     * @param crossOrigin {@code auto_cross_origin}, or null; a JSON-P request in it replaces {@code head}
     */
    ClientRequest(HttpRequest head, RequestInfo info, Route route, boolean trusted, CrossOrigin crossOrigin) {
        JsonpRequest jsonp = crossOrigin == null ? null : crossOrigin.jsonp();
        this.head = jsonp != null ? jsonp.request() : head;
        this.info = info;
        this.route = route;
        this.trusted = trusted;
        this.passthrough = route.noGrip() || trusted;
        this.crossOrigin = crossOrigin;
        // A request without a body is complete with its head; the empty last part the decoder still emits is
        // dropped by the connection between requests. A JSON-P request has its body (if any) already.
        this.complete = jsonp != null || head instanceof LastHttpContent
                || (!HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head));
        this.bodyGiven = jsonp != null && jsonp.body().length > 0;
        if (bodyGiven) {
            kept = Unpooled.compositeBuffer().addComponent(true, Unpooled.wrappedBuffer(jsonp.body()));
        }
    }

    HttpRequest head() {
        return head;
    }

    /** Also takes the status that went out, for the log. */
    RequestInfo info() {
        return info;
    }

    Route route() {
        return route;
    }

    /** The client presented a valid Grip-Sig signed with {@code upstream_key}. */
    boolean trusted() {
        return trusted;
    }

    boolean passthrough() {
        return passthrough;
    }

    /** The client asked with HEAD (a JSON-P request's {@code _method=HEAD} still gets its wrapped answer). */
    boolean isHead() {
        return head.method().equals(HttpMethod.HEAD) && (crossOrigin == null || crossOrigin.jsonp() == null);
    }

    /** {@code auto_cross_origin} for this request, or null. */
    CrossOrigin crossOrigin() {
        return crossOrigin;
    }

    /** Whether the whole body came from the client. */
    boolean complete() {
        return complete;
    }

    /** Body bytes received so far. */
    long bytes() {
        return bytes;
    }

    /** The kept first bytes of the body, empty when there are none; not a copy. */
    ByteBuf keptBody() {
        return kept == null ? Unpooled.EMPTY_BUFFER : kept;
    }

    /** Counts a part of the body and keeps what fits of it for retries; returns whether it was the last part. */
    boolean received(HttpContent content, ByteBufAllocator alloc) {
        ByteBuf data = content.content();
        bytes += data.readableBytes();
        keep(data, alloc);
        if (content instanceof LastHttpContent) {
            complete = true;
            return true;
        }
        return false;
    }

    private void keep(ByteBuf data, ByteBufAllocator alloc) {
        if (bytes - data.readableBytes() >= GripResponse.BUFFER_MAX || !data.isReadable()) {
            return;
        }
        if (kept == null) {
            kept = alloc.compositeBuffer();
        }
        int room = GripResponse.BUFFER_MAX - kept.readableBytes();
        int take = Math.min(room, data.readableBytes());
        kept.addComponent(true, data.copy(data.readerIndex(), take));
    }

    void release() {
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }

    // ---- to the origin ----------------------------------------------------------------------------------------

    /** From now on the origin is asked this request again, with {@code extraHeaders} added (and the kept body). */
    void repeat(List<Map.Entry<String, String>> extraHeaders) {
        this.extraHeaders = List.copyOf(extraHeaders);
    }

    /** From now on the origin is asked for {@code link}, with {@code extraHeaders} added. */
    void fetch(URI link, List<Map.Entry<String, String>> extraHeaders) {
        this.link = link;
        this.extraHeaders = List.copyOf(extraHeaders);
    }

    /** The next link the origin is asked for, or null while it is asked the request itself. */
    URI link() {
        return link;
    }

    List<Map.Entry<String, String>> extraHeaders() {
        return extraHeaders;
    }

    /** The head an origin at {@code target} is sent. */
    HttpRequest toOrigin(ProxyContext context, Target target) {
        String gripSig = !passthrough ? context.signing().sign(route) : null;
        HttpHeaders headers = OriginRequestHeaders.build(head.headers(), context.config().proxy(), route, target,
                info.clientIp(), info.tls(), trusted, gripSig);
        return link != null ? OriginRequests.forLink(link, headers, extraHeaders)
                : OriginRequests.forRequest(head, info.uri(), route, headers, extraHeaders);
    }

    /** What ends a request sent whole: the kept body when the request is repeated or was given, else nothing. */
    LastHttpContent end() {
        return (extraHeaders != null || bodyGiven) && kept != null && link == null
                ? new DefaultLastHttpContent(kept.retainedDuplicate()) : LastHttpContent.EMPTY_LAST_CONTENT;
    }

    /** The path and query an origin would be asked for (the route's rewriting applied). */
    String originPath() {
        return RouteRewrite.originPath(route, info.uri());
    }

    /** What relative links of an instruction resolve against: the request's URL (a stand-in if it won't parse). */
    URI uri() {
        try {
            return URI.create(info.url());
        } catch (IllegalArgumentException e) {
            return URI.create((info.tls() ? "https://" : "http://") + "localhost/");
        }
    }

    /** Logs the request's line; {@code target} is the one tried last, or null. */
    void log(ProxyConfig proxy, Target target, int status, long sent, String suffix) {
        if (!RequestLog.enabled()) {
            return;
        }
        RequestLog.log(head.method().name(), info.url(), target != null ? target.address() : null,
                proxy.logFrom() ? info.clientIp() : null, route.id(), status, sent, suffix,
                proxy.logUserAgent() ? head.headers().get("User-Agent") : null);
    }
}
