package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.pushpin.routing.Route;

/**
 * A WebSocket upgrade under a route's {@code sockjs=} path, as the SockJS endpoint sees it: where it points, the
 * client's WebSocket ({@link #client}, not yet accepted) and the way on to the origin ({@link #bridge}).
 */
public final class SockJsUpgrade {
    private final ProxyContext context;
    private final Channel channel;
    private final RequestHandlers handlers;
    private final HttpRequest request;
    private final RequestInfo info;
    private final Route route;
    private final boolean trusted;
    private ClientWebSocket client;

    SockJsUpgrade(ProxyContext context, Channel channel, RequestHandlers handlers, HttpRequest request,
                  RequestInfo info, Route route, boolean trusted) {
        this.context = context;
        this.channel = channel;
        this.handlers = handlers;
        this.request = request;
        this.info = info;
        this.route = route;
        this.trusted = trusted;
    }

    /** The route's {@code sockjs=} path. */
    public String basePath() {
        return route.sockjs();
    }

    /** The route's {@code sockjs_as_path=}, or null. */
    public String asPath() {
        return route.sockjsAsPath();
    }

    /** The request path (as sent, without the query). */
    public String path() {
        return SockJsExchange.pathOf(request.uri());
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** The client's WebSocket: accept it (through a bridge) or reject it. */
    public ClientWebSocket client() {
        if (client == null) {
            client = new ClientWebSocketHandler(channel, request, handlers, context.metrics(),
                    context.config().runner().allowCompression());
        }
        return client;
    }

    /**
     * Proxies {@code session} (the client's WebSocket, or a SockJS framing of it) to the route's origin as a
     * WebSocket asking for {@code originPath} and the client's query.
     */
    public void bridge(ClientWebSocket session, String originPath) {
        String uri = originPath + SockJsExchange.queryOf(request.uri());
        HttpRequest head = new DefaultHttpRequest(request.protocolVersion(), request.method(), uri,
                request.headers());
        RequestInfo i = new RequestInfo(uri, info.host(), info.tls(), info.clientIp());
        WebSocketStart.bridge(context, new ClientRequest(head, i, route, trusted, null), session);
    }
}
