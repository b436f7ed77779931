package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** The request target and Host as routing reads them. */
final class RequestTargets {
    private RequestTargets() {
    }

    /**
     * RFC 9112 §3.2.2: a server must accept the absolute form ({@code GET http://h/p}); its authority replaces Host
     * and the path goes on as the request-target.
     */
    static void toOriginForm(HttpRequest request) {
        String uri = request.uri();
        int schemeEnd = uri.startsWith("http://") ? 7 : uri.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            return;
        }
        int pathStart = uri.indexOf('/', schemeEnd);
        int queryStart = uri.indexOf('?', schemeEnd);
        int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart)
                : (queryStart < 0 ? pathStart : Math.min(pathStart, queryStart));
        String authority = uri.substring(schemeEnd, end);
        String rest = uri.substring(end);
        request.setUri(rest.startsWith("/") ? rest : "/" + rest);
        if (!authority.isEmpty()) {
            request.headers().set(HttpHeaderNames.HOST, authority);
        }
    }

    static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }
}
