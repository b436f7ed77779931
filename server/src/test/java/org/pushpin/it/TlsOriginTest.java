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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;

/**
 * {@code ssl} targets and {@code trust_connect_host}, as 1.36's HTTP client checks an origin: the certificate must
 * match the host the request names (its Host as sent to the origin), which also goes out as SNI; with
 * {@code trust_connect_host} it is checked against the target's own host instead. The server runs in a child JVM
 * whose trust store holds the two origins' self-signed certificates (made here).
 */
@Timeout(60)
class TlsOriginTest {
    private static final SelfSignedCert NAMED = SelfSignedCert.generate("origin.test");
    private static final SelfSignedCert LOCAL = SelfSignedCert.generate("localhost");
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final Channel NAMED_ORIGIN = tlsOrigin(NAMED);
    private static final Channel LOCAL_ORIGIN = tlsOrigin(LOCAL);
    private static final Path TRUST_STORE = trustStore(NAMED, LOCAL);

    @RegisterExtension
    @Order(1)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("origin.test 127.0.0.1:" + port(NAMED_ORIGIN) + ",ssl",
                    "other.test 127.0.0.1:" + port(NAMED_ORIGIN) + ",ssl",
                    "other-insecure.test 127.0.0.1:" + port(NAMED_ORIGIN) + ",ssl,insecure",
                    "host-prop.test 127.0.0.1:" + port(NAMED_ORIGIN) + ",ssl,host=origin.test",
                    "connect.test localhost:" + port(LOCAL_ORIGIN) + ",ssl,trust_connect_host",
                    "no-connect.test localhost:" + port(LOCAL_ORIGIN) + ",ssl",
                    "origin.test,path_beg=/either/ 127.0.0.1:" + port(NAMED_ORIGIN) + ",ssl,trust_connect_host")
            .inChildJvm("-Djavax.net.ssl.trustStore=" + TRUST_STORE, "-Djavax.net.ssl.trustStorePassword=test",
                    "-Djavax.net.ssl.trustStoreType=PKCS12")
            .build();

    @AfterAll
    static void stopOrigins() {
        GROUP.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static int port(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** An HTTPS origin answering "tls ok" with the SNI names it was given in X-Sni. */
    private static Channel tlsOrigin(SelfSignedCert cert) {
        try {
            SslContext ctx = SslContextBuilder.forServer(
                    new ByteArrayInputStream(cert.certPem().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(cert.keyPem().getBytes(StandardCharsets.US_ASCII))).build();
            return new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("tls", ctx.newHandler(ch.alloc()));
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext c, FullHttpRequest msg) {
                                    SslHandler tls = c.pipeline().get(SslHandler.class);
                                    String sni = ((ExtendedSSLSession) tls.engine().getSession())
                                            .getRequestedServerNames().stream()
                                            .map(n -> ((SNIHostName) n).getAsciiName())
                                            .collect(Collectors.joining(","));
                                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                            HttpResponseStatus.OK, Unpooled.copiedBuffer("tls ok\n",
                                                    StandardCharsets.US_ASCII));
                                    r.headers().set("Content-Length", 7).set("X-Sni", sni.isEmpty() ? "-" : sni);
                                    c.writeAndFlush(r);
                                }
                            });
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path trustStore(SelfSignedCert... certs) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (SelfSignedCert c : certs) {
                ks.setCertificateEntry(c.commonName(), c.certificate());
            }
            Path file = Files.createTempFile("pushpin-it-trust", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, "test".toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawResponse get(String host) throws Exception {
        return RawClient.exchange(pushpin.httpPort(), Req.get("/tls").host(host));
    }

    @Test
    void theCertificateIsCheckedAgainstTheRequestsHostWhichIsAlsoTheSni() throws Exception {
        RawResponse r = get("origin.test");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("tls ok\n");
        assertThat(r.header("X-Sni")).hasValue("origin.test");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        assertThat(get("other.test").status()).isEqualTo(502);
        assertThat(get("other-insecure.test").status()).as("unless insecure").isEqualTo(200);
    }

    @Test
    void theTargetsHostPropIsTheNameChecked() throws Exception {
        RawResponse r = get("host-prop.test");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("X-Sni")).hasValue("origin.test");
    }

    @Test
    void trustConnectHostChecksTheTargetsHostAndKeepsTheRequestsSni() throws Exception {
        RawResponse r = get("connect.test");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("X-Sni")).hasValue("connect.test");
        assertThat(get("no-connect.test").status()).as("without trust_connect_host").isEqualTo(502);
    }

    @Test
    void withTrustConnectHostTheRequestsHostIsStillAccepted() throws Exception {
        // 1.36's client accepts a certificate for either name; here 127.0.0.1 matches nothing, origin.test does
        RawResponse r = RawClient.exchange(pushpin.httpPort(), Req.get("/either/tls").host("origin.test"));

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("X-Sni")).hasValue("origin.test");
    }
}
