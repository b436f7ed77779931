package org.pushpin.hold;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.pushpin.proxy.GripExchange;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;
import org.pushpin.routing.Target;
import org.pushpin.transport.Transport;

/**
 * A POST the holds make on their own (gone links, HTTP filters), made as Pushpin's handler makes them: a URL on the
 * service the client asked (same scheme, host and port) goes to the route's origin that answered the client, signed
 * as the route signs; another goes to the host it names. One short-lived connection per call; the answer comes back
 * on the hold's loop.
 *
 * @param route    the client's route
 * @param target   the origin that answered the client's request
 * @param signing  how the route's requests are signed
 * @param base     the client's request URL (what relative URLs resolve against)
 */
record OriginCall(Route route, Target target, Function<Route, String> signing, URI base) {
    /** The answer: a status and body, or {@code error} (Pushpin's wording) when there was none. */
    record Answer(int status, Map<String, String> headers, byte[] body, String error) {
        String header(String name) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    static OriginCall of(GripExchange exchange) {
        boolean tls = exchange.channel().pipeline().get("tls") != null;
        String host = exchange.request().headers().get("Host");
        URI base;
        try {
            base = URI.create((tls ? "https://" : "http://") + (host == null || host.isEmpty() ? "localhost" : host)
                    + exchange.request().uri());
        } catch (IllegalArgumentException e) {
            base = URI.create(tls ? "https://localhost/" : "http://localhost/");
        }
        return new OriginCall(exchange.route(), exchange.target(), exchange.signer(), base);
    }

    /** Whether {@code uri} is on the service the client asked. */
    boolean viaRoute(URI uri) {
        return uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(base.getScheme())
                && authority(uri).equalsIgnoreCase(authority(base));
    }

    /**
     * POSTs {@code body} with {@code headers} to {@code uri}; {@code done} runs on {@code loop} with the answer
     * (a body over {@code maxBody} bytes is an error), never throws.
     */
    void post(EventLoop loop, Transport transport, URI uri, List<Map.Entry<String, String>> headers, byte[] body,
              int maxBody, int timeoutSeconds, Consumer<Answer> done) {
        boolean via = viaRoute(uri);
        boolean https = via ? target.ssl() : "https".equalsIgnoreCase(uri.getScheme());
        String host = via ? target.host() : uri.getHost();
        int port = via ? target.port() : uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        if (host == null) {
            loop.execute(() -> done.accept(error("general error")));
            return;
        }
        try {
            SslContext ssl = https ? sslContext(via && target.insecure()) : null;
            FullHttpRequest req = request(uri, via, headers, body);
            new Bootstrap().group(loop).channel(transport.clientChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            if (ssl != null) {
                                p.addLast(ssl.newHandler(ch.alloc(), host, port));
                            }
                            p.addLast(new ReadTimeoutHandler(timeoutSeconds, TimeUnit.SECONDS));
                            p.addLast(new HttpClientCodec());
                            p.addLast(new HttpObjectAggregator(Math.max(maxBody, 0)));
                            p.addLast(new Reader(done, maxBody));
                        }
                    })
                    .connect(host, port).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            f.channel().writeAndFlush(req);
                        } else {
                            req.release();
                            done.accept(error(f.cause() instanceof ConnectTimeoutException
                                    ? "connection timed out" : "connection refused"));
                        }
                    });
        } catch (RuntimeException | SSLException e) {
            loop.execute(() -> done.accept(error("general error")));
        }
    }

    private FullHttpRequest request(URI uri, boolean via, List<Map.Entry<String, String>> headers, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        String authority = uri.getRawAuthority() == null ? "localhost" : uri.getRawAuthority();
        req.headers().set("Host", via ? RouteRewrite.hostHeader(route, target, authority) : authority);
        for (Map.Entry<String, String> h : headers) {
            req.headers().add(h.getKey(), h.getValue());
        }
        req.headers().set("Content-Length", Integer.toString(body.length));
        req.headers().set("Connection", "close");
        if (via && !route.noGrip()) {
            String sig = signing.apply(route);
            if (sig != null) {
                req.headers().set("Grip-Sig", sig);
            }
        }
        return req;
    }

    private static Answer error(String message) {
        return new Answer(0, Map.of(), new byte[0], message);
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

    /** Hands the one answer (or the failure) on, then closes. */
    private static final class Reader extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Consumer<Answer> done;
        private final int maxBody;
        private boolean answered;

        Reader(Consumer<Answer> done, int maxBody) {
            this.done = done;
            this.maxBody = maxBody;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            msg.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
            answer(new Answer(msg.status().code(), headers, ByteBufUtil.getBytes(msg.content()), null));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer(error(cause instanceof ReadTimeoutException ? "request timed out"
                    : cause instanceof TooLongFrameException ? "network response exceeded " + maxBody + " bytes"
                    : "general error"));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer(error("disconnected"));
        }

        private void answer(Answer a) {
            if (!answered) {
                answered = true;
                done.accept(a);
            }
        }
    }
}
