package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.WebSocketEvent;
import org.pushpin.grip.WebSocketEvents;
import org.pushpin.routing.Target;

/**
 * The POSTs of WebSocket-over-HTTP (docs/websocket.md §3): the client's handshake headers as any forwarded request gets
 * them (GRIP headers and a fresh Grip-Sig on each POST), less what describes the WebSocket or would let the client
 * speak for Pushpin ({@code Upgrade}, {@code Accept}, {@code Connection-Id}, {@code Meta-*}), plus the event
 * headers, the connection's meta and the events as the body.
 */
final class WsOverHttpRequest {
    private static final String[] NOT_FORWARDED = {"Upgrade", "Accept", "Connection-Id", "Content-Length",
        "Content-Type", "Sec-WebSocket-Extensions"};

    private WsOverHttpRequest() {
    }

    /**
     * @param meta the values the origin set with {@code Set-Meta-*}, sent back as {@code Meta-*}; may be null
     */
    static FullHttpRequest build(ClientRequest request, ProxyContext context, Target target, String connectionId,
                                 Map<String, String> meta, List<WebSocketEvent> events) {
        HttpRequest base = request.toOrigin(context, target);
        HttpHeaders h = base.headers();
        for (String name : NOT_FORWARDED) {
            h.remove(name);
        }
        removeMeta(h);
        if (!request.route().noGrip()) {
            h.add(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, WsGripExtension.NAME);
        }
        ByteBuf body = Unpooled.wrappedBuffer(WebSocketEvents.encode(events));
        h.add(HttpHeaderNames.ACCEPT, WebSocketEvents.CONTENT_TYPE);
        h.add("Connection-Id", connectionId);
        h.add(HttpHeaderNames.CONTENT_TYPE, WebSocketEvents.CONTENT_TYPE);
        h.add(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (meta != null) {
            meta.forEach((name, value) -> h.add("Meta-" + name, value));
        }
        FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, base.uri(), body);
        post.headers().set(h);
        return post;
    }

    private static void removeMeta(HttpHeaders h) {
        List<String> names = new ArrayList<>();
        for (String name : h.names()) {
            if (name.regionMatches(true, 0, "Meta-", 0, 5)) {
                names.add(name);
            }
        }
        names.forEach(h::remove);
    }
}
