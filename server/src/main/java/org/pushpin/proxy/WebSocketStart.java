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
        ClientRequest clientRequest = new ClientRequest(request, info, route, trusted, null);
        ClientWebSocket client = new ClientWebSocketHandler(channel, request, handlers, context.metrics());
        if (route.targets().get(0).kind() == Target.Kind.TEST) {
            track(context, channel, clientRequest, null, null);
            new TestWebSocket(context, clientRequest, client).start();
            return;
        }
        if (route.targets().get(0).overHttp()) {
            UUID id = UUID.randomUUID();
            WsOverHttp ws = new WsOverHttp(context, clientRequest, client, id);
            EventLoop loop = channel.eventLoop();
            track(context, channel, clientRequest, id.toString(), () -> loop.execute(ws::refresh));
            ws.start();
            return;
        }
        track(context, channel, clientRequest, null, null);
        new WsPassthrough(context, clientRequest, client).start();
    }

    /** A WebSocket is one connection to the stats from its handshake until the client connection closes. */
    private static void track(ProxyContext context, Channel channel, ClientRequest request, String id,
                              Runnable refresher) {
        ConnectionRegistry registry = context.metrics().connections();
        ConnectionRegistry.Connection c = registry.open(ConnectionRegistry.Type.WS, request.route().id(),
                request.info().clientIp(), request.info().tls(), id, refresher);
        if (c != null) {
            channel.closeFuture().addListener(f -> registry.close(c));
        }
    }
}
