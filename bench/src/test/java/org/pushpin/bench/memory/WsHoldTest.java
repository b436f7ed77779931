package org.pushpin.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench origin's WebSocket holds, over real sockets, as a GRIP proxy would meet them. */
class WsHoldTest {
    private static EventLoopGroup group;
    private static int port;

    @BeforeAll
    static void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(SseHoldOrigin.initializer(10))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void passthroughUpgradeAnswersWithTheGripExtensionThenSubscribesAndSaysReady() throws Exception {
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                URI.create("ws://127.0.0.1:" + port + "/ws/17"), WebSocketVersion.V13, null, false,
                new DefaultHttpHeaders());
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        handshaker.handshake(ctx.channel());
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof FullHttpResponse r) {
                                            got.add(r.status().code() + " "
                                                    + r.headers().get("Sec-WebSocket-Extensions"));
                                            handshaker.finishHandshake(ctx.channel(), r);
                                        } else if (msg instanceof TextWebSocketFrame t) {
                                            got.add(t.text());
                                        }
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        try {
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("101 grip");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("c:{\"type\":\"subscribe\",\"channel\":\"room-7\"}");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("m:ready");
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void overHttpOpenIsAnsweredWithOpenSubscribeAndReadyEvents() throws Exception {
        HttpResponse<String> r = post("/wsh/23", "OPEN\r\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/websocket-events");
        assertThat(r.headers().firstValue("Sec-WebSocket-Extensions")).hasValue("grip");
        String subscribe = "c:{\"type\":\"subscribe\",\"channel\":\"room-3\"}";
        assertThat(r.body()).isEqualTo("OPEN\r\nTEXT " + Integer.toHexString(subscribe.length()) + "\r\n"
                + subscribe + "\r\nTEXT 7\r\nm:ready\r\n");
    }

    @Test
    void overHttpCloseIsAnsweredWithCloseAndOtherEventsWithNone() throws Exception {
        assertThat(post("/wsh/1", "CLOSE 2\r\n\u0003\u00e8\r\n").body()).isEqualTo("CLOSE\r\n");
        HttpResponse<String> text = post("/wsh/1", "TEXT 2\r\nhi\r\n");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEmpty();
        assertThat(post("/wsh/1", "DISCONNECT\r\n").body()).isEmpty();
    }

    private static HttpResponse<String> post(String path, String events) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", WsHold.EVENTS)
                .POST(HttpRequest.BodyPublishers.ofString(events)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
