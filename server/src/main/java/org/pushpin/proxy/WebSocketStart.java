package org.pushpin.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import java.util.UUID;
import org.pushpin.metrics.ConnectionRegistry;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * The dispatch point for WebSocket upgrades: the client half ({@link ClientWebSocketHandler}) and a passthrough to a
 * WebSocket origin, or WebSocket-over-HTTP ({@link WsOverHttp}) when the first target is {@code over_http}, or the
 * {@code test} target's own ({@link TestWebSocket}). Stateless: the parts it starts carry the connection.
 */
final class WebSocketStart {
    private WebSocketStart() {
    }

    /** Starts the upgrade; {@code route} has at least one target. */
    static void start(ProxyContext context, Channel channel, RequestHandlers handlers, HttpRequest request,
                      RequestInfo info, Route route, boolean trusted) {
        if (SockJsExchange.claims(context, route, request)) {
            context.sockJs().upgrade(new SockJsUpgrade(context, channel, handlers, request, info, route, trusted));
            return;
        }
        ClientRequest clientRequest = new ClientRequest(request, info, route, trusted, null);
        bridge(context, clientRequest, new ClientWebSocketHandler(channel, request, handlers, context.metrics(),
                context.config().runner().allowCompression()));
    }

    /**
     * Proxies {@code client} to the route's first target's kind: a WebSocket origin, WebSocket-over-HTTP or the
     * {@code test} target. {@code client} is a client's WebSocket, or a SockJS session that looks like one.
     */
    static void bridge(ProxyContext context, ClientRequest clientRequest, ClientWebSocket client) {
        Route route = clientRequest.route();
        if (route.targets().get(0).kind() == Target.Kind.TEST) {
            track(context, client, clientRequest, null, null);
            new TestWebSocket(context, clientRequest, client).start();
            return;
        }
        if (route.targets().get(0).overHttp()) {
            UUID id = UUID.randomUUID();
            WsOverHttp ws = new WsOverHttp(context, clientRequest, client, id);
            EventLoop loop = client.loop();
            track(context, client, clientRequest, id.toString(), () -> loop.execute(ws::refresh));
            ws.start();
            return;
        }
        track(context, client, clientRequest, null, null);
        new WsPassthrough(context, clientRequest, client).start();
    }

    /** A WebSocket is one connection to the stats from its handshake until the client is gone. */
    private static void track(ProxyContext context, ClientWebSocket client, ClientRequest request, String id,
                              Runnable refresher) {
        ConnectionRegistry registry = context.metrics().connections();
        ConnectionRegistry.Connection c = registry.open(ConnectionRegistry.Type.WS, request.route().id(),
                request.info().clientIp(), request.info().tls(), id, refresher);
        if (c != null) {
            client.closeFuture().addListener(f -> registry.close(c));
        }
    }
}
