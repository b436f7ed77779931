package org.pushpin.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.Target;

/**
 * A WebSocket upgrade to a WebSocket origin (passthrough), first cut: connects to the route's targets in turn,
 * forwards the handshake, checks the origin's accept key, then swaps both pipelines to Netty's frame codecs and
 * relays frames as they are. The client's Sec-WebSocket-Extensions are dropped (as the reference does):
 * permessage-deflate would cost zlib state of tens of KB per direction per connection, and the GRIP prefix rules
 * need the plain bytes. Not yet: GRIP relay rules, sessions, rejection bodies, strict close handling.
 */
final class WsPassthrough {
    static final int MAX_FRAME = 65_536;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ProxyContext context;
    private final ClientRequest request;
    private final Channel client;
    private final RequestHandlers handlers;
    private Channel origin;
    private HttpResponse originHead;
    private int targetIndex;

    WsPassthrough(ProxyContext context, ClientRequest request, Channel client, RequestHandlers handlers) {
        this.context = context;
        this.request = request;
        this.client = client;
        this.handlers = handlers;
    }

    void start() {
        List<Target> targets = request.route().targets();
        if (targetIndex >= targets.size()) {
            fail();
            return;
        }
        Target target = targets.get(targetIndex++);
        OriginKey key = new OriginKey(target.host(), target.port(), target.ssl(), target.insecure());
        context.connector().connect(client.eventLoop(), key).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                start();
                return;
            }
            origin = f.channel();
            origin.pipeline().remove("origin");
            origin.pipeline().remove("inflate");
            origin.pipeline().addLast("ws-handshake", new HandshakeReader());
            origin.writeAndFlush(handshake(target));
            origin.read();
        });
    }

    private HttpRequest handshake(Target target) {
        HttpRequest base = request.toOrigin(context, target);
        HttpHeaders h = base.headers();
        HttpHeaders c = request.head().headers();
        h.remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
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
        String v = from.get(name);
        if (v != null) {
            to.set(name, v);
        }
    }

    static String acceptKey(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fail() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
                Unpooled.copiedBuffer("Error while proxying to origin.\n", StandardCharsets.UTF_8));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        if (origin != null) {
            origin.close();
        }
    }

    private void upgraded() {
        String key = request.head().headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        String accept = originHead.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        if (key == null || !acceptKey(key).equals(accept)) {
            fail();
            return;
        }
        var op = origin.pipeline();
        op.remove("ws-handshake");
        op.replace("codec", "ws-decoder", new WebSocket13FrameDecoder(config(false)));
        op.addAfter("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(true));
        op.addLast("ws-relay", new Relay(client));

        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        r.headers().set(originHead.headers());
        r.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, acceptKey(key));
        client.writeAndFlush(r);
        var cp = client.pipeline();
        cp.addBefore("proxy", "ws-decoder", new WebSocket13FrameDecoder(config(true)));
        cp.addBefore("proxy", "ws-encoder", new WebSocket13FrameEncoder(false));
        cp.addBefore("proxy", "ws-relay", new Relay(origin));
        handlers.removeForUpgrade(cp);
        context.metrics().connectionUpgraded(ServerMetrics.ConnectionKind.HTTP, ServerMetrics.ConnectionKind.WEBSOCKET);
        client.read();
        origin.read();
    }

    private static WebSocketDecoderConfig config(boolean server) {
        return WebSocketDecoderConfig.newBuilder().expectMaskedFrames(server).allowMaskMismatch(false)
                .allowExtensions(false).maxFramePayloadLength(MAX_FRAME).closeOnProtocolViolation(true).build();
    }

    /** Reads the origin's handshake answer. */
    private final class HandshakeReader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse head) {
                    originHead = head;
                    if (head.status().code() == 101) {
                        upgraded();
                        return;
                    }
                }
                if (msg instanceof LastHttpContent) {
                    fail();
                } else if (!(msg instanceof HttpContent) || true) {
                    ctx.read();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (client.isActive() && client.pipeline().get("ws-relay") == null) {
                fail();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Passes frames to the other side; reads more only while the other side is writable. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            peer.writeAndFlush(frame);
            if (peer.isWritable()) {
                ctx.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                peer.read();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
