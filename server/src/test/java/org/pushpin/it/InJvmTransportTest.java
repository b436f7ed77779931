package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;

/**
 * The in-JVM transport ({@code PushpinServer.listenInJvm}) end to end: a client {@code LocalChannel} goes through
 * the same pipeline as a socket client, and its origin is reached over the in-JVM transport at
 * {@code LocalAddress("host:port")} of the route's target (no socket is bound on that port).
 */
@Timeout(30)
class InJvmTransportTest {
    private static final String ORIGIN = "127.0.0.1:20999";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    @Order(1)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + ORIGIN)
            .controlApi()
            .build();

    private static EventLoopGroup group;
    private static LocalAddress server;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "the in-JVM transport is pushpin-java's own");
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new Origin());
                    }
                })
                .bind(new LocalAddress(ORIGIN)).sync();
        server = pushpin.server().listenInJvm("pushpin-it-" + System.nanoTime());
    }

    @AfterAll
    static void stop() {
        if (group != null) {
            // the server first: its pooled origin connections then close while their peers' loop still runs
            pushpin.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void plainRequestIsProxiedToTheInJvmOrigin() throws Exception {
        Client c = Client.connect(server, "GET /hello HTTP/1.1\r\nHost: example\r\n\r\n");
        String text = c.await("hello from the in-JVM origin");
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n");
        c.channel.close().sync();
    }

    @Test
    void streamHoldGetsAPublishedMessage() throws Exception {
        Client c = Client.connect(server, "GET /stream HTTP/1.1\r\nHost: example\r\n\r\n");
        c.await("start\n");
        Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("in-jvm") == 1, "subscribed to in-jvm");
        pushpin.publisher().stream("in-jvm", "hello over LocalChannel\n");
        String text = c.await("hello over LocalChannel\n");
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("Grip-");
        c.channel.close().sync();
        Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("in-jvm") == 0, "unsubscribed on close");
    }

    @Test
    void eachInJvmLoopHasAListenerServingOnThatLoop() throws Exception {
        java.util.List<EventLoop> loops = new java.util.ArrayList<>();
        pushpin.server().inJvmLoops().forEach(e -> loops.add((EventLoop) e));
        assertThat(loops).isNotEmpty();
        java.util.Set<LocalAddress> addresses = new java.util.HashSet<>();
        for (EventLoop loop : loops) {
            LocalAddress onLoop = pushpin.server().inJvmAddressOn(loop);
            assertThat(onLoop).isNotNull().isNotEqualTo(server);
            addresses.add(onLoop);
            // a client on that very loop goes through the same pipeline to the same origin
            Client c = Client.connect(loop, onLoop, "GET /hello HTTP/1.1\r\nHost: example\r\n\r\n");
            assertThat(c.await("hello from the in-JVM origin")).startsWith("HTTP/1.1 200 OK\r\n");
            c.channel.close().sync();
        }
        assertThat(addresses).hasSize(loops.size());
        assertThat(pushpin.server().inJvmAddressOn(group.next())).isNull();
    }

    /** Answers /stream with a GRIP stream hold on channel in-jvm, anything else with a plain body. */
    private static final class Origin extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean stream = req.uri().equals("/stream");
            String body = stream ? "start\n" : "hello from the in-JVM origin";
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
            if (stream) {
                resp.headers().set("Grip-Hold", "stream").set("Grip-Channel", "in-jvm");
            }
            ctx.writeAndFlush(resp);
        }
    }

    /** A raw HTTP client over a LocalChannel: sends bytes, collects what comes back as text. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private final StringBuffer received = new StringBuffer();
        private Channel channel;

        static Client connect(LocalAddress address, String request) throws InterruptedException {
            return connect(group, address, request);
        }

        static Client connect(EventLoopGroup loops, LocalAddress address, String request) throws InterruptedException {
            Client c = new Client();
            c.channel = new Bootstrap().group(loops).channel(LocalChannel.class).handler(c)
                    .connect(address).sync().channel();
            c.channel.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII)).sync();
            return c;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                received.append(b.toString(StandardCharsets.ISO_8859_1));
            } finally {
                b.release();
            }
        }

        String await(String part) {
            Await.until(WAIT, () -> received.indexOf(part) >= 0, () -> "received so far: " + received);
            return received.toString();
        }
    }
}
