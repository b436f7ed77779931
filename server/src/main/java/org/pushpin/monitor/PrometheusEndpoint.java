package org.pushpin.monitor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pushpin.config.PrometheusListen;
import org.pushpin.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint ({@code prometheus_port}): any request path gets {@code 200}, {@code text/plain} and the
 * metrics, then the connection closes, as Pushpin answers. Served on the server's event loops (a scrape costs one
 * small request), over TCP or a Unix socket ({@code ipc://}).
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("handler");

    private final Channel server;

    private PrometheusEndpoint(Channel server) {
        this.server = server;
    }

    public static PrometheusEndpoint start(EventLoopGroup group, Transport transport, PrometheusListen listen,
                                           PrometheusMetrics metrics) throws Exception {
        ServerBootstrap b = new ServerBootstrap().group(group)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(8192),
                                new Scrape(metrics));
                    }
                });
        SocketAddress address;
        if (listen.unixPath() != null) {
            Path path = Path.of(listen.unixPath());
            Files.deleteIfExists(path); // a socket file left by an earlier run
            b.channel(transport.domainServerChannel());
            address = transport.domainAddress(path);
        } else {
            b.channel(transport.serverChannel());
            address = listen.host() == null ? new InetSocketAddress(listen.port())
                    : new InetSocketAddress(listen.host(), listen.port());
        }
        Channel ch = b.bind(address).sync().channel();
        LOG.info("prometheus metrics: {}", ch.localAddress());
        return new PrometheusEndpoint(ch);
    }

    /** Where it listens. */
    public SocketAddress address() {
        return server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }

    private static final class Scrape extends SimpleChannelInboundHandler<HttpRequest> {
        private final PrometheusMetrics metrics;

        Scrape(PrometheusMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest req) {
            byte[] body = metrics.scrape();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
