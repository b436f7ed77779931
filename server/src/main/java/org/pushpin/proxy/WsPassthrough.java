package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * A WebSocket upgrade to a WebSocket origin (passthrough): connects to the route's targets in turn, forwards the
 * client's handshake with the headers Pushpin sends, and completes the client's handshake only when the origin
 * accepts; a refusal reaches the client whole. Then frames are relayed both ways as they come (fragments as
 * fragments), each side reading only while the other can take more.
 *
 * <p>The client's {@code Sec-WebSocket-Extensions} are dropped (as the reference does): permessage-deflate would
 * cost zlib state of tens of KB per direction per connection, and the GRIP prefix rules need the plain bytes.
 *
 * <p>With the GRIP extension (the origin's 101 names {@code grip}, the route has GRIP and the client is not
 * trusted) or {@code sub=} channels on the target, the connection gets a {@link WsSession} and origin messages are
 * sorted by {@link WsGripExtension}. This object is then the session's {@link WsConnection}.
 */
final class WsPassthrough implements WsConnection {
    private static final byte[] PROXY_ERROR = (ErrorResponses.PROXY_ERROR + "\n").getBytes(StandardCharsets.UTF_8);

    private final ProxyContext context;
    /** The client's request until the origin accepted: a held WebSocket does not keep its head. */
    private ClientRequest request;
    private final Route route;
    private final ClientWebSocket client;
    private final GenericFutureListener<Future<Void>> clientGoneEarly = f -> clientGoneEarly();
    private Target target;
    private int targetIndex;
    private Channel originChannel;
    private OriginWebSocket origin;
    private WsGripExtension grip;
    private WsSession session;
    private Map<String, String> meta;
    /** How the origin message in progress was sorted (its continuation frames follow it), or null. */
    private WsGripExtension.Kind current;
    private boolean detached;
    private boolean finished;

    WsPassthrough(ProxyContext context, ClientRequest request, ClientWebSocket client) {
        this.context = context;
        this.request = request;
        this.route = request.route();
        this.client = client;
    }

    void start() {
        client.closeFuture().addListener(clientGoneEarly);
        connectNext();
    }

    private void connectNext() {
        List<Target> targets = route.targets();
        if (targetIndex >= targets.size()) {
            unreachable();
            return;
        }
        Target t = targets.get(targetIndex++);
        if (t.kind() != Target.Kind.ORIGIN) {
            // WebSockets over ZHTTP (Pushpin's zws) are not served: such a target counts as unreachable
            RequestLog.debug("WebSocket to " + t.address() + " not served (no WebSockets over zhttp)", null);
            connectNext();
            return;
        }
        String requestHost = OriginPolicy.hostOf(org.pushpin.routing.RouteRewrite.hostHeader(route, t,
                request.head().headers().get(HttpHeaderNames.HOST)));
        OriginKey key = OriginKey.of(t, requestHost);
        java.net.InetSocketAddress address = null;
        if (t.untrusted()) {
            address = OriginPolicy.address(t, requestHost);
            if (address == null) {
                RequestLog.debug("WebSocket origin " + t.address() + ": " + OriginPolicy.BLOCKED, null);
                reject(502, "Bad Gateway");
                return;
            }
        }
        context.connector().connect(client.loop(), key, address).addListener((ChannelFuture f) -> {
            if (finished) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
                return;
            }
            if (!f.isSuccess()) {
                RequestLog.debug("WebSocket origin " + t.address() + " unreachable", f.cause());
                connectNext();
                return;
            }
            target = t;
            originChannel = f.channel();
            OriginWebSocket.start(originChannel, handshake(t), new OriginSide(), new Handshake());
        });
    }

    private HttpRequest handshake(Target t) {
        HttpRequest base = request.toOrigin(context, t);
        HttpHeaders h = base.headers();
        HttpHeaders c = request.head().headers();
        h.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (!route.noGrip()) {
            h.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, WsGripExtension.NAME);
        }
        h.set(HttpHeaderNames.UPGRADE, "websocket");
        h.set(HttpHeaderNames.CONNECTION, "Upgrade");
        copy(c, h, HttpHeaderNames.SEC_WEBSOCKET_KEY);
        copy(c, h, HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        copy(c, h, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, base.uri(), h);
    }

    private static void copy(HttpHeaders from, HttpHeaders to, CharSequence name) {
        List<String> v = from.getAll(name);
        if (!v.isEmpty()) {
            to.set(name, v);
        }
    }

    // ---- handshake outcomes -----------------------------------------------------------------------------------

    private void unreachable() {
        RequestLog.debug("WebSocket: unable to connect to any targets of route " + route.routeId(), null);
        context.metrics().originError(ServerMetrics.OriginError.CONNECT);
        reject(502, "Bad Gateway");
    }

    private void reject(int code, String reason) {
        finished = true;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(code, reason),
                client.alloc().buffer(PROXY_ERROR.length).writeBytes(PROXY_ERROR));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, PROXY_ERROR.length);
        log(code, PROXY_ERROR.length);
        client.closeFuture().removeListener(clientGoneEarly);
        client.reject(r);
    }

    private void log(int status, long bytes) {
        if (RequestLog.enabled()) {
            RequestInfo info = request.info();
            RequestLog.log("GET", info.url(), target != null ? target.address() : null, null,
                    route.id(), status, bytes, null, null);
        }
    }

    private void clientGoneEarly() {
        if (!finished) {
            finished = true;
            if (originChannel != null) {
                originChannel.close();
            }
        }
    }

    /** What the origin answered the handshake. */
    private final class Handshake implements OriginWebSocket.HandshakeListener {
        @Override
        public void onAccepted(OriginWebSocket end, HttpResponse head) {
            if (finished) {
                end.abort();
                return;
            }
            origin = end;
            client.closeFuture().removeListener(clientGoneEarly);
            HttpHeaders headers = new DefaultHttpHeaders().add(head.headers());
            List<String> extensions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
            WsGripExtension offered = WsGripExtension.fromHeaders(extensions);
            if (!request.trusted()) {
                headers.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                grip = route.noGrip() ? null : offered;
            } else if (offered != null && WsGripExtension.fromHeaders(
                    request.head().headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) == null) {
                // A trusted client speaks the extension itself, but only one it offered may be named (RFC 6455 9.1).
                headers.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
            }
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            log(101, 0);
            client.accept(headers, new ClientSide());
            if (!client.isActive()) {
                return; // onGone has run
            }
            if (grip != null || !target.subscriptions().isEmpty()) {
                session = context.wsSessions().open(WsPassthrough.this);
            }
            request = null;
            origin.setReading(true);
        }

        @Override
        public void onRefused(FullHttpResponse response) {
            if (finished) {
                response.release();
                return;
            }
            finished = true;
            client.closeFuture().removeListener(clientGoneEarly);
            log(response.status().code(), response.content().readableBytes());
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            client.reject(response);
        }

        @Override
        public void onFailed(String why) {
            if (finished) {
                return;
            }
            RequestLog.warn("WebSocket origin " + (target != null ? target.address() : "?") + ": " + why);
            context.metrics().originError(ServerMetrics.OriginError.BAD_RESPONSE);
            reject(502, "Bad Gateway");
        }
    }

    // ---- relaying ---------------------------------------------------------------------------------------------

    /** Frames from the client. */
    private final class ClientSide implements ClientWebSocket.Listener {
        @Override
        public void onFrame(WebSocketFrame frame) {
            if (detached || origin == null) {
                frame.release();
                return;
            }
            origin.write(frame);
            if (!origin.isWritable()) {
                client.setReading(false);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            if (detached) {
                client.close(code, reason); // nobody else to answer it
            } else {
                origin.close(code, reason);
            }
        }

        @Override
        public void onGone() {
            if (origin != null) {
                origin.close(-1, null);
            }
            ended();
        }

        @Override
        public void onWritabilityChanged(boolean writable) {
            if (writable && origin != null) {
                origin.setReading(true);
            }
        }
    }

    /** Frames from the origin. */
    private final class OriginSide implements ClientWebSocket.Listener {
        @Override
        public void onFrame(WebSocketFrame frame) {
            if (detached) {
                frame.release();
                return;
            }
            if (grip != null && !sortedForClient(frame)) {
                return;
            }
            if (session != null && !(frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame)) {
                session.onOriginMessage();
            }
            client.write(frame);
            if (!client.isWritable()) {
                origin.setReading(false);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            if (!detached) {
                client.close(code, reason);
            }
        }

        @Override
        public void onGone() {
            if (!detached) {
                client.close(-1, null);
                ended();
            }
        }

        @Override
        public void onWritabilityChanged(boolean writable) {
            if (writable) {
                client.setReading(true);
            }
        }
    }

    /**
     * The GRIP extension's rules for one origin frame: true when it goes on to the client (a message frame, its
     * prefix stripped if it starts the message; a control frame). Control messages go to the session.
     */
    private boolean sortedForClient(WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
            return true;
        }
        if (!(frame instanceof ContinuationWebSocketFrame)) {
            current = grip.classify(frame.content(), frame instanceof TextWebSocketFrame);
            if (current == WsGripExtension.Kind.CONTROL) {
                if (frame.isFinalFragment() && session != null) {
                    ByteBuf c = frame.content();
                    session.onControl(c.toString(c.readerIndex() + 2, c.readableBytes() - 2, StandardCharsets.UTF_8));
                }
            } else if (current == WsGripExtension.Kind.MESSAGE) {
                frame.content().skipBytes(grip.messagePrefixLength());
            }
        }
        WsGripExtension.Kind kind = current;
        if (frame.isFinalFragment()) {
            current = null;
        }
        if (kind != WsGripExtension.Kind.MESSAGE) {
            frame.release(); // a control message (a fragmented one is ignored) or an unprefixed one
            return false;
        }
        return true;
    }

    /** Either side is gone for good: the session learns it once. */
    private void ended() {
        finished = true;
        WsSession s = session;
        session = null;
        if (s != null) {
            s.closed();
        }
    }

    // ---- WsConnection (the session's view) -------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return client.loop();
    }

    @Override
    public void sendToClient(WebSocketFrame frame) {
        client.write(frame);
    }

    @Override
    public boolean clientActive() {
        return client.isActive();
    }

    @Override
    public void sendSharedToClient(ByteBuf encodedFrame) {
        client.writeEncoded(encodedFrame.retainedDuplicate());
    }

    @Override
    public void close(int code, String reason) {
        client.close(code, reason);
        if (origin != null && !detached) {
            origin.close(code, reason);
        }
    }

    @Override
    public void detach() {
        if (!detached && origin != null) {
            detached = true;
            origin.close(-1, null);
        }
    }

    @Override
    public void refresh() {
        // passthrough has no requests to post
    }

    @Override
    public Map<String, String> meta() {
        if (meta == null) {
            meta = new HashMap<>();
        }
        return meta;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public List<String> implicitChannels() {
        return target != null ? target.subscriptions() : new ArrayList<>();
    }
}
