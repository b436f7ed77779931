package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.routing.RoutesParser;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;

/**
 * Target {@code client_cert}/{@code client_key} (Pushpin's 2.0 work): mutual TLS to an origin that requires a
 * client certificate (a Netty HTTPS origin made here, trusting only the client certificate made here).
 */
@Timeout(30)
class ClientCertificateTest {
    private static final SelfSignedCert SERVER = SelfSignedCert.generate("localhost");
    private static final SelfSignedCert CLIENT = SelfSignedCert.generate("pushpin-client");
    private static final SelfSignedCert STRANGER = SelfSignedCert.generate("stranger");
    private static final Path DIR = files();
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final Channel ORIGIN = mtlsOrigin();

    @RegisterExtension
    @Order(1)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("with.test " + target() + ",client_cert=" + DIR.resolve("client.crt") + ",client_key="
                            + DIR.resolve("client.key"),
                    "stranger.test " + target() + ",client_cert=" + DIR.resolve("stranger.crt") + ",client_key="
                            + DIR.resolve("stranger.key"),
                    "without.test " + target())
            .build();

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static String target() {
        return "127.0.0.1:" + ((InetSocketAddress) ORIGIN.localAddress()).getPort() + ",ssl,insecure";
    }

    private static Path files() {
        try {
            Path dir = Files.createTempDirectory("pushpin-it-mtls");
            CLIENT.writeTo(dir, "client");
            STRANGER.writeTo(dir, "stranger");
            Files.writeString(dir.resolve("not-pem.txt"), "hello\n");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** An HTTPS origin that requires a client certificate signed by (here: equal to) CLIENT's; answers its CN. */
    private static Channel mtlsOrigin() {
        try {
            SslContext ctx = SslContextBuilder.forServer(bytes(SERVER.certPem()), bytes(SERVER.keyPem()))
                    .trustManager(CLIENT.certificate()).clientAuth(ClientAuth.REQUIRE).build();
            return new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(ctx.newHandler(ch.alloc()), new HttpServerCodec(),
                                    new HttpObjectAggregator(65536));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext c, FullHttpRequest msg)
                                        throws Exception {
                                    X509Certificate peer = (X509Certificate) c.pipeline().get(SslHandler.class)
                                            .engine().getSession().getPeerCertificates()[0];
                                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                            HttpResponseStatus.OK, Unpooled.copiedBuffer("mtls ok\n",
                                                    StandardCharsets.US_ASCII));
                                    r.headers().set("Content-Length", 8)
                                            .set("X-Client", peer.getSubjectX500Principal().getName());
                                    c.writeAndFlush(r);
                                }
                            });
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawResponse get(String host) throws Exception {
        return RawClient.exchange(pushpin.httpPort(), Req.get("/mtls").host(host));
    }

    @Test
    void theTargetsCertificateIsShownToTheOrigin() throws Exception {
        RawResponse r = get("with.test");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("mtls ok\n");
        assertThat(r.header("X-Client")).hasValue("CN=pushpin-client");
    }

    @Test
    void withoutOneOrWithOneTheOriginDoesNotTrustTheHandshakeFails() throws Exception {
        assertThat(get("without.test").status()).isEqualTo(502);
        assertThat(get("stranger.test").status()).isEqualTo(502);
        assertThat(get("with.test").status()).as("the others are not disturbed").isEqualTo(200);
    }

    @Test
    void badFilesAreWarnedAboutNamingTheLineWhichIsSkipped() {
        String crt = DIR.resolve("client.crt").toString();
        String key = DIR.resolve("client.key").toString();
        String missing = DIR.resolve("missing.crt").toString();
        String notPem = DIR.resolve("not-pem.txt").toString();
        RoutesParser.ParseResult r = RoutesParser.parse(List.of(
                "a.test h:1,ssl,client_cert=" + missing + ",client_key=" + key,
                "b.test h:1,ssl,client_cert=" + crt,
                "c.test h:1,ssl,client_cert=" + notPem + ",client_key=" + key,
                "d.test h:1,ssl,client_cert=" + crt + ",client_key=" + crt,
                "e.test h:1,ssl,client_cert=" + crt + ",client_key=" + key), "routes");

        assertThat(r.routes()).singleElement().satisfies(route -> assertThat(route.host()).isEqualTo("e.test"));
        assertThat(r.warnings()).extracting(Object::toString).satisfiesExactly(
                w -> assertThat(w).startsWith("routes:1: failed to open " + missing + ": "),
                w -> assertThat(w).isEqualTo("routes:2: client_cert and client_key must be given together"),
                w -> assertThat(w).isEqualTo("routes:3: client_cert " + notPem + " holds no PEM certificate"),
                w -> assertThat(w).isEqualTo("routes:4: client_key " + crt
                        + " holds no PEM PKCS#8 private key (BEGIN PRIVATE KEY)"));
    }
}
