package org.pushpin.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes to Nchan's publisher location ({@code --publish nchan}): {@code POST /pub/room-a,room-b,...} with the
 * body {@code @STAMP}, which Nchan stores once per listed channel (at most {@value #MAX_CHANNELS} per request, its
 * limit). EventSource subscribers get it as {@code data: @STAMP}, long-poll subscribers as the whole response body,
 * so the load generator's clients find the same stamps as through a GRIP proxy. Nchan takes one message per
 * request, so {@code repeat} messages are {@code repeat} requests, pipelined on one keep-alive connection and
 * answered in order. Blocking, for the one thread that drives a run.
 */
final class NchanPublisher implements RoomPublisher {
    /** Nchan's limit on channels in one multiplexed id. */
    static final int MAX_CHANNELS = 255;

    private final Bootstrap bootstrap;
    private final InetSocketAddress target;
    private Channel channel;

    NchanPublisher(EventLoopGroup group, Transport transport, InetSocketAddress target) {
        this.target = target;
        this.bootstrap = new Bootstrap().group(group).channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new Replies());
                    }
                });
    }

    /** Counts the answers to the requests in flight on one connection; completes once all came, or fails. */
    private static final class Replies extends SimpleChannelInboundHandler<FullHttpResponse> {
        private int awaited;
        private CompletableFuture<Void> done;
        private volatile boolean closing;

        /** Called on the event loop before the batch is written. */
        void expect(int n, CompletableFuture<Void> future) {
            awaited = n;
            done = future;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            if (done == null) {
                return;
            }
            int code = r.status().code();
            if (code < 200 || code > 299) {
                done.completeExceptionally(new IOException("publish answered " + r.status() + ": "
                        + r.content().toString(StandardCharsets.UTF_8)));
                done = null;
                return;
            }
            closing |= !HttpUtil.isKeepAlive(r);
            if (--awaited == 0) {
                done.complete(null);
                done = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (done != null) {
                done.completeExceptionally(new IOException("publisher location closed the connection with "
                        + awaited + " answers to come"));
                done = null;
            }
        }
    }

    /** The request path for rooms {@code first .. first+count-1}: {@code /pub/room-a,room-b,...}. */
    static String path(int first, int count) {
        StringBuilder sb = new StringBuilder(8 + count * 9).append("/pub/");
        for (int r = first; r < first + count; r++) {
            if (r > first) {
                sb.append(',');
            }
            sb.append("room-").append(r);
        }
        return sb.toString();
    }

    @Override
    public void rooms(int first, int count, int repeat) throws IOException, InterruptedException {
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("@" + Stamps.now(),
                StandardCharsets.US_ASCII));
        List<String> paths = new ArrayList<>();
        for (int from = first; from < first + count; from += MAX_CHANNELS) {
            paths.add(path(from, Math.min(MAX_CHANNELS, first + count - from)));
        }
        if (channel == null || !channel.isActive()) {
            channel = bootstrap.connect(target).sync().channel();
        }
        int requests = repeat * paths.size();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Replies replies = channel.pipeline().get(Replies.class);
        Channel ch = channel;
        ch.eventLoop().submit(() -> replies.expect(requests, done)).sync();
        for (int k = 0; k < repeat; k++) {
            for (String path : paths) {
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                        body.duplicate());
                req.headers().set(HttpHeaderNames.HOST, "bench")
                        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                ch.write(req, ch.voidPromise());
            }
        }
        ch.flush();
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ch.close();
            channel = null;
            throw new IOException("publish failed: " + e, e);
        }
        if (replies.closing) {
            ch.close();
            channel = null;
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }
}
