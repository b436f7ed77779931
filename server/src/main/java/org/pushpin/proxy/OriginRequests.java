package org.pushpin.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;

/** The request heads sent to an origin: the client's request forwarded (or retried), and next-link GETs. */
final class OriginRequests {
    private OriginRequests() {
    }

    /**
     * @param headers the forwarded headers ({@link OriginRequestHeaders#build}); framing is set here
     * @param extra   headers added on a retry ({@code Grip-Last}), or null
     */
    static HttpRequest forRequest(HttpRequest request, String uri, Route route, HttpHeaders headers,
                                  List<Map.Entry<String, String>> extra) {
        int hash = uri.indexOf('#');
        // A fragment is the client's business; it is never sent to the origin.
        String path = RouteRewrite.originPath(route, hash < 0 ? uri : uri.substring(0, hash));
        if (HttpUtil.isTransferEncodingChunked(request)) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
        } else if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && expectsBody(request.method())) {
            // Some origins refuse a POST without a length (411); Pushpin sends an explicit zero.
            headers.set("Content-Length", "0");
        }
        addAll(headers, extra);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), path, headers);
    }

    /** The GET for a next link: the forwarded headers, the link's path, query and host. */
    static HttpRequest forLink(URI link, HttpHeaders headers, List<Map.Entry<String, String>> extra) {
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.CONTENT_TYPE);
        if (link.getRawAuthority() != null) {
            headers.set(HttpHeaderNames.HOST, link.getRawAuthority());
        }
        addAll(headers, extra);
        String path = link.getRawPath() == null || link.getRawPath().isEmpty() ? "/" : link.getRawPath();
        if (link.getRawQuery() != null) {
            path += "?" + link.getRawQuery();
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, headers);
    }

    private static void addAll(HttpHeaders headers, List<Map.Entry<String, String>> extra) {
        if (extra != null) {
            for (Map.Entry<String, String> h : extra) {
                headers.add(h.getKey(), h.getValue());
            }
        }
    }

    private static boolean expectsBody(HttpMethod method) {
        String m = method.name();
        return m.equals("POST") || m.equals("PUT") || m.equals("PATCH") || m.equals("PURGE");
    }
}
