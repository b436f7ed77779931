package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code test} target's WebSocket (docs/websocket.md §4): {@code /ws} ({@link TestTarget#path}) is accepted,
 * subscribed to the {@code channel=} query parameters (default {@code test}) so that published {@code ws-message}
 * items reach it, and echoes each client message; any other path is refused with Pushpin's {@code 404 no such test
 * resource}. A client's close is answered with its own code and reason, as the reference does.
 *
 * <p>The subscriptions go through the same GRIP session seam as a proxied WebSocket's ({@link WsSessions}), as
 * implicit ones: the test target plays an origin that subscribed on open and never unsubscribes.
 */
final class TestWebSocket implements WsConnection, ClientWebSocket.Listener {
    private final ProxyContext context;
    private final ClientRequest request;
    private final ClientWebSocket client;
    private List<String> channels;
    private WsSession session;
    private Map<String, String> meta;
    private boolean gone;

    TestWebSocket(ProxyContext context, ClientRequest request, ClientWebSocket client) {
        this.context = context;
        this.request = request;
        this.client = client;
    }

    void start() {
        QueryStringDecoder q = new QueryStringDecoder(TestTarget.path(request.route(), request.originPath()));
        if (!q.path().equals("/ws")) {
            FullHttpResponse r = ErrorResponses.text(client.alloc(), HttpVersion.HTTP_1_1, 404,
                    "Not Found", "no such test resource");
            log(404, r.content().readableBytes());
            client.reject(r);
            return;
        }
        channels = q.parameters().getOrDefault("channel", List.of("test"));
        log(101, 0);
        client.accept(new DefaultHttpHeaders(), this);
        if (client.isActive()) {
            session = context.wsSessions().open(this);
        }
    }

    private void log(int status, long bytes) {
        if (RequestLog.enabled()) {
            RequestLog.log("GET", request.info().url(), "test", null, request.route().id(), status, bytes, null,
                    null);
        }
    }

    // ---- the client ---------------------------------------------------------------------------------------------

    @Override
    public void onFrame(WebSocketFrame frame) {
        if (frame instanceof PongWebSocketFrame) {
            frame.release();
        } else if (frame instanceof PingWebSocketFrame) {
            client.write(new PongWebSocketFrame(frame.content()));
        } else {
            client.write(frame); // the echo, fragments as they came
            if (session != null) {
                session.onOriginMessage();
            }
            if (!client.isWritable()) {
                client.setReading(false);
            }
        }
    }

    @Override
    public void onClose(int code, String reason) {
        client.close(code, reason);
    }

    @Override
    public void onGone() {
        if (gone) {
            return;
        }
        gone = true;
        WsSession s = session;
        session = null;
        if (s != null) {
            s.closed();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // the echo goes back on the same connection: read only while it can take the answers
        client.setReading(writable);
    }

    // ---- WsConnection (the session's view) ----------------------------------------------------------------------

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
    }

    @Override
    public void detach() {
        // no origin to detach from
    }

    @Override
    public void refresh() {
        // no origin to ask
    }

    @Override
    public Map<String, String> meta() {
        if (meta == null) {
            meta = new HashMap<>();
        }
        return meta;
    }

    @Override
    public org.pushpin.routing.Route route() {
        return request.route();
    }

    @Override
    public List<String> implicitChannels() {
        return channels;
    }
}
