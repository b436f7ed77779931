package org.pushpin.bench.memory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket holds of {@link SseHoldOrigin}, subscribed by the origin with the GRIP WebSocket extension:
 * <ul>
 *   <li>passthrough ({@code /ws/i}): the upgrade is accepted with {@code Sec-WebSocket-Extensions: grip}, then the
 *       origin sends {@code c:{"type":"subscribe","channel":"room-K"}} and {@code m:ready};</li>
 *   <li>WebSocket-over-HTTP ({@code /wsh/i}, a route with {@code over_http}): the {@code OPEN} request is answered
 *       {@code OPEN} plus the same two messages as {@code TEXT} events, with the extension header; a {@code CLOSE}
 *       is answered {@code CLOSE}, anything else with no events.</li>
 * </ul>
 * The load generator counts a WebSocket in flight until {@code ready}, and held once a publish reached it.
 * After the handshake the origin answers pings and closes and ignores every other frame.
 */
final class WsHold {
    static final String EVENTS = "application/websocket-events";
    private static final ByteBuf CLOSE = body("CLOSE\r\n");
    private static final ByteBuf NO_EVENTS = body("");

    private WsHold() {
    }

    private static ByteBuf body(String text) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
    }

    static String subscribe(String channel) {
        return "c:{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}";
    }

    /** Accepts the passthrough upgrade and subscribes the connection to {@code channel}. */
    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String channel) {
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory("ws://origin" + req.uri(), null, false).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        HttpHeaders headers = new DefaultHttpHeaders().set("Sec-WebSocket-Extensions", "grip");
        handshaker.handshake(ctx.channel(), req, headers, ctx.newPromise()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                f.channel().write(new TextWebSocketFrame(subscribe(channel)), f.channel().voidPromise());
                f.channel().writeAndFlush(new TextWebSocketFrame("m:ready"), f.channel().voidPromise());
            }
        });
    }

    /** Answers one WebSocket-over-HTTP request. */
    static FullHttpResponse overHttp(FullHttpRequest req, String channel) {
        String events = req.content().toString(StandardCharsets.US_ASCII);
        ByteBuf body;
        if (events.startsWith("OPEN\r\n")) {
            body = Unpooled.copiedBuffer("OPEN\r\n" + textEvent(subscribe(channel)) + textEvent("m:ready"),
                    StandardCharsets.US_ASCII);
        } else if (events.startsWith("CLOSE")) {
            body = CLOSE.retainedDuplicate();
        } else {
            body = NO_EVENTS.retainedDuplicate();
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, EVENTS).set("Sec-WebSocket-Extensions", "grip")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return resp;
    }

    /** {@code TEXT <length in hex>\r\n<content>\r\n} (ASCII content: characters = bytes). */
    static String textEvent(String content) {
        return "TEXT " + Integer.toHexString(content.length()) + "\r\n" + content + "\r\n";
    }

    /** The frames of upgraded connections: pings answered, a close answered and the connection closed. */
    @ChannelHandler.Sharable
    static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        static final Frames INSTANCE = new Frames();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, frame.content().retain()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
