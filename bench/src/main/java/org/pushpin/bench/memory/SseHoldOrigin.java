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
 * The origin of the memory benchmark and the load generator ({@code org.pushpin.bench.load.LoadGen}). For a
 * request {@code /<kind>/<i>} it answers a GRIP hold on channel {@code room-<i % rooms>}, or for nginx with Nchan
 * an internal redirect to that room's subscriber location:
 * <ul>
 *   <li>{@code /sse/i}: {@code Grip-Hold: stream}, {@code text/event-stream}, initial body {@code :init\n\n};</li>
 *   <li>{@code /stream/i}: {@code Grip-Hold: stream}, {@code text/plain}, the same initial body;</li>
 *   <li>{@code /poll/i}: {@code Grip-Hold: response} (long-poll) with {@code Grip-Timeout: 3600}, {@code text/plain},
 *       an empty body (what the client gets on timeout); a re-poll carrying {@code ?after=T} is timed
 *       ({@link RepollGaps});</li>
 *   <li>{@code /accel/sse/i} and {@code /accel/poll/i} (nginx proxies {@code /sse/} and {@code /poll/} here): an
 *       empty 200 with {@code X-Accel-Redirect: /nchan/sse/room-K} or {@code /nchan/poll/room-K}, which nginx
 *       follows internally to an Nchan subscriber location, the way an application picks an Nchan channel;</li>
 *   <li>{@code /ws/i} (a WebSocket upgrade) and {@code /wsh/i} (WebSocket-over-HTTP): see {@link WsHold};</li>
 *   <li>{@code /plain}: an ordinary short response, no GRIP (plain-request latency probes);</li>
 *   <li>{@code /repoll}: the re-poll gaps recorded since the last call ({@link RepollGaps}).</li>
 * </ul>
 * Anything else gets an empty 200 (readiness probes). Bodies are allocated once and shared.
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.memory.SseHoldOrigin PORT [rooms]</pre>
 */
public final class SseHoldOrigin {
    static final String INITIAL = ":init\n\n";
    private static final ByteBuf BODY = body(INITIAL);
    private static final ByteBuf PLAIN = body("hello, world\n");
    private static final ByteBuf EMPTY = body("");
    private static final int POLL_TIMEOUT_S = 3600;

    private SseHoldOrigin() {
    }

    private static ByteBuf body(String text) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
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
        try {
            Channel server = new ServerBootstrap().group(group).channel(type)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer(rooms))
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.printf("SseHoldOrigin listening on 127.0.0.1:%d (%s), %d rooms%n", port,
                    epoll ? "epoll" : "nio", rooms);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** The origin's pipeline for any transport (the in-JVM simulations bind it on a {@code LocalAddress}). */
    public static ChannelInitializer<Channel> initializer(int rooms) {
        Handler handler = new Handler(rooms);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), handler,
                        WsHold.Frames.INSTANCE);
            }
        };
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int rooms;
        private final RepollGaps repolls = new RepollGaps();

        Handler(int rooms) {
            this.rooms = rooms;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            int slash = uri.lastIndexOf('/');
            String kind = uri.substring(0, slash + 1);
            FullHttpResponse resp;
            switch (kind) {
                case "/ws/" -> {
                    WsHold.upgrade(ctx, req, room(uri, slash));
                    return;
                }
                case "/wsh/" -> resp = WsHold.overHttp(req, room(uri, slash));
                case "/sse/" -> resp = hold(uri, slash, "stream", "text/event-stream", BODY);
                case "/stream/" -> resp = hold(uri, slash, "stream", "text/plain", BODY);
                case "/poll/" -> {
                    repolls.record(uri);
                    resp = hold(uri, slash, "response", "text/plain", EMPTY);
                    // held until a publish, as Nchan's long-poll subscriber (no timeout by default; it would answer
                    // 408): with Pushpin's 55 s all clients held in one connect burst would re-poll at once mid-run
                    resp.headers().set("Grip-Timeout", POLL_TIMEOUT_S);
                }
                case "/accel/sse/" -> resp = accel(uri, slash, "/nchan/sse/");
                case "/accel/poll/" -> {
                    repolls.record(uri);
                    resp = accel(uri, slash, "/nchan/poll/");
                }
                default -> resp = uri.equals("/repoll") ? text(repolls.readAndReset())
                        : ok(uri.equals("/plain") ? PLAIN : EMPTY, "text/plain");
            }
            ctx.write(resp, ctx.voidPromise());
        }

        private FullHttpResponse hold(String uri, int slash, String hold, String type, ByteBuf body) {
            FullHttpResponse resp = ok(body, type);
            resp.headers().set("Grip-Hold", hold).set("Grip-Channel", room(uri, slash));
            return resp;
        }

        /** Nchan's way to choose the channel: nginx redirects the request to {@code location + room}. */
        private FullHttpResponse accel(String uri, int slash, String location) {
            FullHttpResponse resp = ok(EMPTY, "text/plain");
            resp.headers().set("X-Accel-Redirect", location + room(uri, slash)).set("X-Accel-Buffering", "no");
            return resp;
        }

        /** {@code room-(i % rooms)} for {@code .../i} (query ignored; not a number: room-0). */
        private String room(String uri, int slash) {
            int q = uri.indexOf('?', slash);
            int i;
            try {
                i = Integer.parseInt(uri.substring(slash + 1, q < 0 ? uri.length() : q));
            } catch (NumberFormatException e) {
                i = 0;
            }
            return "room-" + Math.floorMod(i, rooms);
        }

        private static FullHttpResponse ok(ByteBuf body, String type) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    body.retainedDuplicate());
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH,
                    body.readableBytes());
            return resp;
        }

        private static FullHttpResponse text(String s) {
            ByteBuf body = Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH,
                    body.readableBytes());
            return resp;
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
