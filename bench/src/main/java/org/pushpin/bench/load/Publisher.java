package org.pushpin.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts to the HTTP control API ({@code POST /publish}), one request at a time, on a keep-alive connection; the
 * control APIs answer {@code Connection: close} (Pushpin 1.36 does), so it reconnects whenever the server closes.
 * Blocking, for the one thread that drives a run.
 */
public final class Publisher implements RoomPublisher {
    private final Bootstrap bootstrap;
    private final PublishBody body;
    private final InetSocketAddress control;
    private Channel channel;
    /** With {@link #usePull}: the PUSH socket to the server's PULL input. */
    private org.zeromq.ZContext zmq;
    private org.zeromq.ZMQ.Socket push;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** A publisher of prepared bodies ({@link #publish}), e.g. for the soak; {@link #rooms} builds SSE items. */
    public Publisher(EventLoopGroup group, Transport transport, InetSocketAddress control) {
        this(group, transport, control, Mode.SSE);
    }

    Publisher(EventLoopGroup group, Transport transport, InetSocketAddress control, Mode mode) {
        this.control = control;
        this.body = new PublishBody(mode);
        this.bootstrap = new Bootstrap().group(group).channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Reply());
                    }
                });
    }

    /**
     * The answer awaited on one connection. One per connection, so that a closed connection's late
     * {@code channelInactive} cannot fail a request already sent on the next.
     */
    private static final class Reply extends SimpleChannelInboundHandler<FullHttpResponse> {
        volatile CompletableFuture<FullHttpResponse> pending;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            CompletableFuture<FullHttpResponse> p = pending;
            if (p != null) {
                p.complete(r.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<FullHttpResponse> p = pending;
            if (p != null) {
                p.completeExceptionally(new IOException("control API closed the connection"));
            }
        }
    }

    /**
     * Publishes over the ZeroMQ PULL input at {@code pullPort} instead ({@code --publish pull}): each item of a
     * body goes as one {@code J} message on a PUSH socket. Returns once queued (a PULL input answers nothing; a
     * PUSH socket waits when the server is a high-water mark behind).
     */
    void usePull(int pullPort) {
        zmq = new org.zeromq.ZContext(1);
        push = zmq.createSocket(org.zeromq.SocketType.PUSH);
        push.setSndHWM(100_000);
        push.connect("tcp://127.0.0.1:" + pullPort);
    }

    private void publishPull(byte[] json) throws IOException {
        for (com.fasterxml.jackson.databind.JsonNode item : JSON.readTree(json).get("items")) {
            byte[] body = JSON.writeValueAsBytes(item);
            byte[] msg = new byte[body.length + 1];
            msg[0] = 'J';
            System.arraycopy(body, 0, msg, 1, body.length);
            if (!push.send(msg)) {
                throw new IOException("PUSH send failed");
            }
        }
    }

    /** One item per room and repeat in one POST ({@link PublishBody}). */
    @Override
    public void rooms(int first, int count, int repeat) throws IOException, InterruptedException {
        publish(body.rooms(first, count, repeat));
    }

    /** POSTs {@code json} to {@code /publish} and returns once the server answered 200. */
    public void publish(byte[] json) throws IOException, InterruptedException {
        if (push != null) {
            publishPull(json);
            return;
        }
        if (channel == null || !channel.isActive()) {
            channel = bootstrap.connect(control).sync().channel();
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/publish",
                Unpooled.wrappedBuffer(json));
        req.headers().set(HttpHeaderNames.HOST, "bench")
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        Reply reply = channel.pipeline().get(Reply.class);
        CompletableFuture<FullHttpResponse> p = new CompletableFuture<>();
        reply.pending = p;
        channel.writeAndFlush(req);
        FullHttpResponse r;
        try {
            r = p.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            channel.close();
            throw new IOException("publish failed: " + e, e);
        } finally {
            reply.pending = null;
        }
        try {
            if (!HttpUtil.isKeepAlive(r)) {
                channel.close();
                channel = null;
            }
            if (r.status().code() != 200) {
                throw new IOException("publish answered " + r.status() + ": "
                        + r.content().toString(StandardCharsets.UTF_8));
            }
        } finally {
            r.release();
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        if (zmq != null) {
            zmq.close();
        }
    }
}
