package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The origin's half of a passthrough WebSocket, on a connected origin channel: sends the handshake, reads the
 * answer (a 101 whose accept key must match, or a refusal, kept whole up to {@link #MAX_REFUSAL_BODY}), then swaps
 * the HTTP codec for Netty's frame codecs (frames to the origin masked) and relays as {@link WebSocketEnd}.
 */
final class OriginWebSocket extends WebSocketEnd {
    /** The largest refusal body relayed to the client; a longer one is a proxy error. */
    static final int MAX_REFUSAL_BODY = 100_000;

    /** How the handshake ended. */
    interface HandshakeListener {
        /** The origin accepted: frames follow to {@code listener} once {@code end} was given one. */
        void onAccepted(OriginWebSocket end, HttpResponse head);

        /** The origin answered something else than 101, whole; ownership passes. */
        void onRefused(FullHttpResponse response);

        /** No usable answer (connection lost, bad accept key, malformed or too large answer). */
        void onFailed(String why);
    }

    private final Channel channel;

    private OriginWebSocket(Channel channel, ClientWebSocket.Listener listener) {
        super("origin");
        this.channel = channel;
        this.listener = listener;
    }

    @Override
    Channel channel() {
        return channel;
    }

    /** Starts the handshake on {@code origin} (a fresh connection from {@link OriginConnector}). */
    static void start(Channel origin, HttpRequest handshake, ClientWebSocket.Listener listener,
                      HandshakeListener handshakeListener) {
        ChannelPipeline p = origin.pipeline();
        p.remove("origin");
        p.remove("inflate"); // a refusal's body is relayed as the origin encoded it
        String key = handshake.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        p.addLast("ws-handshake", new HandshakeReader(origin, key, listener, handshakeListener));
        origin.writeAndFlush(handshake);
        origin.read();
    }

    static String acceptKey(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(
                    (key + WebSocketServerHandshaker13.WEBSOCKET_13_ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the origin's answer to the handshake. */
    private static final class HandshakeReader extends ChannelInboundHandlerAdapter {
        private final Channel origin;
        private final String key;
        private final ClientWebSocket.Listener listener;
        private final HandshakeListener handshakeListener;
        private HttpResponse refusal;
        private ByteBuf body;
        private boolean done;

        HandshakeReader(Channel origin, String key, ClientWebSocket.Listener listener,
                        HandshakeListener handshakeListener) {
            this.origin = origin;
            this.key = key;
            this.listener = listener;
            this.handshakeListener = handshakeListener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (done) {
                    return;
                }
                if (msg instanceof HttpResponse head) {
                    if (head.decoderResult().isFailure()) {
                        fail(ctx, "malformed answer to the WebSocket handshake");
                        return;
                    }
                    if (head.status().code() == 101) {
                        upgraded(ctx, head);
                        return;
                    }
                    if (head.status().code() / 100 == 1) {
                        return; // another interim response: the answer is still to come
                    }
                    refusal = head;
                    body = ctx.alloc().buffer();
                }
                if (msg instanceof HttpContent content && refusal != null) {
                    if (body.readableBytes() + content.content().readableBytes() > MAX_REFUSAL_BODY) {
                        fail(ctx, "refusal body over " + MAX_REFUSAL_BODY + " bytes");
                        return;
                    }
                    body.writeBytes(content.content());
                    if (content instanceof LastHttpContent) {
                        refused(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void upgraded(ChannelHandlerContext ctx, HttpResponse head) {
            String accept = head.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
            if (key == null || !acceptKey(key).equals(accept)) {
                fail(ctx, "origin answered 101 with a wrong Sec-WebSocket-Accept");
                return;
            }
            done = true;
            ChannelPipeline p = ctx.pipeline();
            OriginWebSocket end = new OriginWebSocket(origin, listener);
            // Encoder ahead of the decoder (see ClientWebSocketHandler); bytes the HTTP codec still holds (the
            // origin's first frames) go on to the frame decoder when the codec is removed.
            p.addAfter("codec", "ws-encoder", new WebSocket13FrameEncoder(true));
            p.addAfter("ws-encoder", "ws-decoder",
                    new WebSocket13FrameDecoder(ClientWebSocketHandler.frameDecoderConfig(false)));
            p.replace(this, "ws-origin", end);
            // The client is accepted before the codec goes: frames the origin sent right behind its 101 are
            // decoded the moment the codec is removed, and must find the client ready.
            handshakeListener.onAccepted(end, head);
            p.remove("codec");
        }

        private void refused(ChannelHandlerContext ctx) {
            done = true;
            FullHttpResponse r = new DefaultFullHttpResponse(refusal.protocolVersion(), refusal.status(), body,
                    refusal.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
            body = null;
            ctx.close();
            handshakeListener.onRefused(r);
        }

        private void fail(ChannelHandlerContext ctx, String why) {
            done = true;
            release();
            ctx.close();
            handshakeListener.onFailed(why);
        }

        private void release() {
            if (body != null) {
                body.release();
                body = null;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!done) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                fail(ctx, "origin closed the connection during the WebSocket handshake");
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            RequestLog.debug("origin WebSocket handshake error", cause);
            if (!done) {
                fail(ctx, "origin connection error: " + cause.getMessage());
            } else {
                ctx.close();
            }
        }
    }
}
