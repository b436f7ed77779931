package org.pushpin.bench.soak;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.pushpin.bench.load.Transport;

/**
 * The soak's origin: GRIP holds on room channels, plain answers, and faults. It reads request heads itself (the
 * server sends GETs without a body) and writes raw bytes, so it can misbehave in ways an HTTP codec would not
 * allow. For {@code /<kind>/<i>} (room {@code room-(i % rooms)}):
 * <ul>
 *   <li>{@code sse}: a GRIP stream hold, {@code text/event-stream}, initial body {@code :init\n\n};</li>
 *   <li>{@code poll}: a GRIP response hold (long-poll) with {@code Grip-Timeout: 30} and an empty body;</li>
 *   <li>{@code plain}: an ordinary response {@code plain <i>\n} (no GRIP);</li>
 *   <li>{@code garbage}: bytes that are not HTTP, then a close;</li>
 *   <li>{@code reset}: a head declaring 100,000 bytes, 1,000 of them, then a reset (RST, SO_LINGER 0);</li>
 *   <li>{@code stall}: nothing, ever (the server's {@code origin_timeout} ends it).</li>
 * </ul>
 * Anything else gets an empty 200 (readiness probes). Keep-alive for the answers that are complete.
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.soak.SoakOrigin PORT ROOMS</pre>
 */
public final class SoakOrigin {
    private static final ByteBuf HEAD_END = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    private static final int MAX_HEAD = 16 * 1024;
    static final String GARBAGE = "SSH-2.0-OpenSSH_9.2 this is no HTTP\r\n\r\n\u0000\u0001\u0002";

    private SoakOrigin() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: SoakOrigin PORT ROOMS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int rooms = Integer.parseInt(args[1]);
        Transport transport = Transport.best();
        Class<? extends ServerChannel> type = Epoll.isAvailable()
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(type)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Connection(rooms));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.printf("SoakOrigin listening on 127.0.0.1:%d (%s), %d rooms%n", port, transport.name(), rooms);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** One origin connection: collects a request head, answers it, and goes on with the next (keep-alive). */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private final int rooms;
        private ByteBuf head;
        private boolean done; // answered with a close, a reset or a stall: later bytes are ignored

        Connection(int rooms) {
            this.rooms = rooms;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (!done && in.isReadable()) {
                    if (head == null) {
                        head = ctx.alloc().heapBuffer(512);
                    }
                    int before = head.writerIndex();
                    head.writeBytes(in, Math.min(in.readableBytes(), MAX_HEAD - before));
                    int end = ByteBufUtil.indexOf(HEAD_END, head);
                    if (end < 0) {
                        if (head.writerIndex() >= MAX_HEAD) {
                            ctx.close();
                            done = true;
                        }
                        return;
                    }
                    int length = end + HEAD_END.readableBytes();
                    in.readerIndex(in.readerIndex() - (head.writerIndex() - length)); // the next request's bytes
                    String line = head.toString(0, head.indexOf(0, length, (byte) '\r'), StandardCharsets.ISO_8859_1);
                    head.release();
                    head = null;
                    answer(ctx, line);
                }
            } finally {
                in.release();
            }
        }

        private void answer(ChannelHandlerContext ctx, String requestLine) {
            String[] parts = requestLine.split(" ");
            String uri = parts.length > 1 ? parts[1] : "/";
            int slash = uri.lastIndexOf('/');
            String kind = uri.substring(0, slash + 1);
            String index = uri.substring(slash + 1);
            String room = room(index);
            switch (kind) {
                case "/sse/" -> write(ctx, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nGrip-Hold: stream\r\n"
                        + "Grip-Channel: " + room + "\r\nContent-Length: 7\r\n\r\n:init\n\n");
                case "/poll/" -> write(ctx, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nGrip-Hold: response\r\n"
                        + "Grip-Channel: " + room + "\r\nGrip-Timeout: 30\r\nContent-Length: 0\r\n\r\n");
                case "/plain/" -> {
                    String body = "plain " + index + "\n";
                    write(ctx, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                            + "\r\n\r\n" + body);
                }
                case "/garbage/" -> {
                    done = true;
                    ctx.writeAndFlush(ascii(GARBAGE)).addListener(ChannelFutureListener.CLOSE);
                }
                case "/reset/" -> {
                    done = true;
                    ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000"
                            + "\r\n\r\n" + "r".repeat(1000))).addListener(f -> {
                                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                                ctx.close();
                            });
                }
                case "/stall/" -> done = true;
                default -> write(ctx, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        }

        private static void write(ChannelHandlerContext ctx, String response) {
            ctx.writeAndFlush(ascii(response), ctx.voidPromise());
        }

        private static ByteBuf ascii(String s) {
            return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** {@code room-(i % rooms)} (not a number: room-0). */
        private String room(String index) {
            int q = index.indexOf('?');
            try {
                return "room-" + Math.floorMod(Integer.parseInt(q < 0 ? index : index.substring(0, q)), rooms);
            } catch (NumberFormatException e) {
                return "room-0";
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (head != null) {
                head.release();
                head = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
