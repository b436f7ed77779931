package org.pushpin.it.ws;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests on Netty's client handshaker: no aggregation, no automatic answers (frames are
 * recorded by its {@link WsPeer}); {@code mask=false} sends unmasked frames (a protocol violation).
 */
final class WsTestClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final WsPeer peer = new WsPeer();
    final Channel channel;
    /** The headers of the server's 101. */
    final HttpHeaders upgradeHeaders = new DefaultHttpHeaders();

    private WsTestClient(int port, String path, HttpHeaders headers, String subprotocol, boolean mask)
            throws Exception {
        WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(
                URI.create("ws://localhost:" + port + path), WebSocketVersion.V13, subprotocol, false, headers,
                1 << 20, mask, false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        upgradeHeaders.add(r.headers());
                                        try {
                                            hs.finishHandshake(ctx.channel(), r);
                                            ctx.pipeline().replace(this, "peer", peer);
                                            done.complete(null);
                                        } catch (RuntimeException e) {
                                            done.completeExceptionally(e);
                                            ctx.close();
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        done.completeExceptionally(new IllegalStateException("closed"));
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        // On the channel's loop: called from here, Netty's handshaker adds its write listener (which puts the frame
        // encoder in) after the write, and a fast 101 could be read and the HTTP codec removed before it runs.
        channel.eventLoop().submit(() -> hs.handshake(channel)).get(10, TimeUnit.SECONDS).sync();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    static WsTestClient connect(int port, String path) throws Exception {
        return new WsTestClient(port, path, new DefaultHttpHeaders(), null, true);
    }

    static WsTestClient connect(int port, String path, HttpHeaders headers, String subprotocol, boolean mask)
            throws Exception {
        return new WsTestClient(port, path, headers, subprotocol, mask);
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
