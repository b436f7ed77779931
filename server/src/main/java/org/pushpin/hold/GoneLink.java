package org.pushpin.hold;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.pushpin.proxy.GripExchange;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;
import org.pushpin.routing.Target;
import org.pushpin.transport.Transport;

/**
 * {@code Grip-Link: <uri>; rel=gone} (Pushpin 1.41, docs/grip.md#gone-links): when the hold that the link came with
 * ends, a bodiless {@code POST} goes to the link, best effort: the answer is read and dropped, a failure is only
 * logged. A link to the service the client asked (same scheme, host and port) goes to the route's origin (the target
 * that answered), signed as the route signs; another goes to that host itself. Made only for holds that have a gone
 * link, so other holds pay one null field.
 *
 * @param uri     the link, resolved against the client's request URL
 * @param route   the client's route
 * @param target  the origin that answered the client's request
 * @param signing how the route's requests are signed
 * @param viaRoute the link points to the service the client asked
 */
record GoneLink(URI uri, Route route, Target target, java.util.function.Function<Route, String> signing,
                boolean viaRoute) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("handler");
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_SECONDS = 30;

    /** The gone link of {@code exchange}'s instruction, or null when it has none. */
    static GoneLink of(GripExchange exchange) {
        URI uri = exchange.instruct().goneLink();
        if (uri == null) {
            return null;
        }
        boolean tls = exchange.channel().pipeline().get("tls") != null;
        String host = exchange.request().headers().get("Host");
        boolean same = uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(tls ? "https" : "http")
                && host != null && authority(uri).equalsIgnoreCase(withPort(host, tls));
        return new GoneLink(uri, exchange.route(), exchange.target(), exchange.signer(), same);
    }

    /** Sends the POST from {@code loop}; never throws. */
    void post(EventLoop loop, Transport transport) {
        try {
            boolean https = viaRoute ? target.ssl() : "https".equalsIgnoreCase(uri.getScheme());
            String host = viaRoute ? target.host() : uri.getHost();
            int port = viaRoute ? target.port() : uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
            if (host == null) {
                return;
            }
            SslContext ssl = https ? sslContext(viaRoute && target.insecure()) : null;
            FullHttpRequest req = request();
            new Bootstrap().group(loop).channel(transport.clientChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast(ssl.newHandler(ch.alloc(), host, port));
                            }
                            p.addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                            p.addLast(new HttpClientCodec());
                            p.addLast(new Answer());
                        }
                    })
                    .connect(host, port).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            f.channel().writeAndFlush(req);
                        } else {
                            req.release();
                            LOG.debug("failed to request gone link {}", uri, f.cause());
                        }
                    });
        } catch (RuntimeException | SSLException e) {
            LOG.debug("failed to request gone link {}", uri, e);
        }
    }

    private FullHttpRequest request() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        String authority = uri.getRawAuthority() == null ? "localhost" : uri.getRawAuthority();
        req.headers().set("Host", viaRoute ? RouteRewrite.hostHeader(route, target, authority) : authority);
        req.headers().set("Content-Length", "0");
        req.headers().set("Connection", "close");
        if (viaRoute && !route.noGrip()) {
            String sig = signing.apply(route);
            if (sig != null) {
                req.headers().set("Grip-Sig", sig);
            }
        }
        return req;
    }

    private static SslContext sslContext(boolean insecure) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (insecure) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return b.build();
    }

    private static String authority(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return host + ":" + port;
    }

    private static String withPort(String hostHeader, boolean tls) {
        boolean bracketed = hostHeader.startsWith("[");
        int colon = hostHeader.lastIndexOf(':');
        boolean hasPort = colon > 0 && (!bracketed || colon > hostHeader.indexOf(']'));
        return hasPort ? hostHeader : hostHeader + ":" + (tls ? 443 : 80);
    }

    /** Reads the answer to its end, then closes: nothing of it is used. */
    private final class Answer extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof LastHttpContent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("failed to request gone link {}", uri, cause);
            ctx.close();
        }
    }
}
