package org.pushpin.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal, fast HTTP/1.1 origin for benchmarks: {@code /small} (a 13-byte body) and {@code /64k} (65536 bytes),
 * anything else 404. Bodies are allocated once and sent with {@code retainedDuplicate()}; keep-alive honoured.
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.BenchOrigin PORT [threads] [bind-address]</pre>
 */
public final class BenchOrigin {

    private static final ByteBuf SMALL = body("hello, world\n".getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuf LARGE = body(pattern(65536));
    private static final ByteBuf NOT_FOUND = body("not found\n".getBytes(StandardCharsets.US_ASCII));

    private BenchOrigin() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: BenchOrigin PORT [threads] [bind-address]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        String host = args.length > 2 ? args[2] : "127.0.0.1";

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                    Handler.INSTANCE);
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            System.out.printf("BenchOrigin listening on %s:%d (%s, %d threads)%n", host, port,
                    epoll ? "epoll" : "nio", threads);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static ByteBuf body(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        static final Handler INSTANCE = new Handler();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            ByteBuf content;
            HttpResponseStatus status = HttpResponseStatus.OK;
            if (path.equals("/small")) {
                content = SMALL;
            } else if (path.equals("/64k")) {
                content = LARGE;
            } else {
                content = NOT_FOUND;
                status = HttpResponseStatus.NOT_FOUND;
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    content.retainedDuplicate());
            resp.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, content == LARGE
                            ? HttpHeaderValues.APPLICATION_OCTET_STREAM : HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            if (keepAlive) {
                ctx.write(resp, ctx.voidPromise());
            } else {
                ctx.write(resp).addListener(ChannelFutureListener.CLOSE);
            }
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
