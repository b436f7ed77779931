package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of a test WebSocket (a test client, or one connection of a test origin): records every frame it gets,
 * answers nothing (a close is answered only when {@link #answerClose} is on), sends what the test says.
 */
final class WsPeer extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final BlockingQueue<WsFrame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean answerClose = true;
    private volatile boolean countOnly;
    final java.util.concurrent.atomic.AtomicLong dataBytes = new java.util.concurrent.atomic.AtomicLong();
    volatile Channel channel;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().closeFuture().addListener(f -> closed.complete(null));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
        if (countOnly && !(f instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame)) {
            dataBytes.addAndGet(f.content().readableBytes());
            return;
        }
        WsFrame frame = WsFrame.of(f.retain());
        frames.add(frame);
        if (frame.type().equals("close") && answerClose) {
            var answer = frame.code() < 0 ? new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame()
                    : new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(frame.code(), frame.reason());
            ctx.writeAndFlush(answer);
        }
    }

    /** Only counts the payload bytes of frames other than close (for bulk transfers). */
    WsPeer countOnly() {
        countOnly = true;
        return this;
    }

    WsPeer answerClose(boolean on) {
        answerClose = on;
        return this;
    }

    void send(WebSocketFrame f) {
        channel.writeAndFlush(f).syncUninterruptibly();
    }

    /** The next frame, waiting up to 10 s. */
    WsFrame next() throws InterruptedException {
        WsFrame f = frames.poll(10, TimeUnit.SECONDS);
        assertThat(f).as("a frame within 10 s").isNotNull();
        return f;
    }

    /** The next whole message (its frames joined: a proxy may cut a message into other frames), or a control frame. */
    WsFrame nextMessage() throws InterruptedException {
        WsFrame first = next();
        if (first.fin()) {
            return first;
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(first.data());
        WsFrame f;
        do {
            f = next();
            all.writeBytes(f.data());
        } while (!f.fin());
        return new WsFrame(first.type(), true, all.toByteArray(), -1, null);
    }

    /** The next frame within {@code millis}, or null. */
    WsFrame poll(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    void awaitClosed() throws Exception {
        closed.get(10, TimeUnit.SECONDS);
    }
}
