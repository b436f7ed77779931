package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an Nchan publisher location receives from {@link NchanPublisher}, over a real socket. */
class NchanPublisherTest {
    private record Received(String method, String uri, String body) {
    }

    private static final Transport NIO =
            new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile HttpResponseStatus answer = HttpResponseStatus.CREATED;
    private EventLoopGroup group;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws InterruptedException {
        group = NIO.newGroup(1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        received.add(new Received(req.method().name(), req.uri(),
                                                req.content().toString(StandardCharsets.US_ASCII)));
                                        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                answer, Unpooled.copiedBuffer("queued messages: 1",
                                                StandardCharsets.US_ASCII));
                                        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH,
                                                r.content().readableBytes());
                                        ctx.writeAndFlush(r);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void oneRequestPerRepeatAndPer255RoomsEachCarryingTheSameStamp() throws Exception {
        NchanPublisher publisher = new NchanPublisher(group, NIO, address);
        try {
            publisher.rooms(0, 300, 2);
            publisher.rooms(7, 1, 1);
        } finally {
            publisher.close();
        }
        assertThat(received).hasSize(5);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.body()).matches("@[0-9]+");
        });
        assertThat(received.get(0).uri()).startsWith("/pub/room-0,room-1,").endsWith(",room-254");
        assertThat(received.get(0).uri().split(",")).hasSize(255);
        assertThat(received.get(1).uri()).startsWith("/pub/room-255,").endsWith(",room-299");
        assertThat(received.get(2).uri()).isEqualTo(received.get(0).uri());
        assertThat(received.subList(0, 4)).extracting(Received::body).containsOnly(received.get(0).body());
        assertThat(received.get(4).uri()).isEqualTo("/pub/room-7");
        assertThat(received.get(4).body()).isNotEqualTo(received.get(0).body());
    }

    @Test
    void aRefusedPublishFails() {
        answer = HttpResponseStatus.FORBIDDEN;
        NchanPublisher publisher = new NchanPublisher(group, NIO, address);
        try {
            assertThatThrownBy(() -> publisher.rooms(0, 2, 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("403");
        } finally {
            publisher.close();
        }
    }
}
