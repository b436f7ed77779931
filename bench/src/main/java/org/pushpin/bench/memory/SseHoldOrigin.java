package org.pushpin.bench.memory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The origin of the memory benchmark: every request {@code /sse/<i>} is answered with a GRIP stream hold on channel
 * {@code room-<i % rooms>}, {@code Content-Type: text/event-stream} and the initial body {@code :init\n\n}. Other paths get an empty 200
 * (readiness probes).
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.memory.SseHoldOrigin PORT [rooms]</pre>
 */
public final class SseHoldOrigin {
    static final String INITIAL = ":init\n\n";
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes(INITIAL.getBytes(StandardCharsets.US_ASCII)));

    private SseHoldOrigin() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: SseHoldOrigin PORT [rooms]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        Handler handler = new Handler(rooms);
        try {
            Channel server = new ServerBootstrap().group(group).channel(type)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), handler);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.printf("SseHoldOrigin listening on 127.0.0.1:%d (%s), %d rooms%n", port,
                    epoll ? "epoll" : "nio", rooms);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int rooms;

        Handler(int rooms) {
            this.rooms = rooms;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            if (!uri.startsWith("/sse/")) {
                // readiness probes (scripts/lib/reference.sh) must get an answer that ends
                FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                ok.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.write(ok, ctx.voidPromise());
                return;
            }
            int slash = uri.lastIndexOf('/');
            int i;
            try {
                i = Integer.parseInt(uri.substring(slash + 1));
            } catch (NumberFormatException e) {
                i = 0;
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    BODY.retainedDuplicate());
            resp.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .set("Grip-Hold", "stream")
                    .set("Grip-Channel", "room-" + Math.floorMod(i, rooms))
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.readableBytes());
            ctx.write(resp, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
