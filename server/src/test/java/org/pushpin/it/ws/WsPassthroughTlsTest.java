package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.SelfSignedCert;

/**
 * Passthrough to a {@code wss://} origin (target {@code ssl}): with {@code insecure} the self-signed origin is
 * reached and frames go both ways; without it the certificate check fails and the client gets Pushpin's 502.
 */
@Timeout(60)
class WsPassthroughTlsTest {
    static final WsTestOrigin origin = start();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("localhost,path_beg=/checked 127.0.0.1:" + origin.port() + ",ssl",
                    "localhost 127.0.0.1:" + origin.port() + ",ssl,insecure")
            .build();

    private static WsTestOrigin start() {
        try {
            SelfSignedCert cert = SelfSignedCert.generate("localhost");
            SslContext tls = SslContextBuilder.forServer(
                    new ByteArrayInputStream(cert.certPem().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(cert.keyPem().getBytes(StandardCharsets.US_ASCII))).build();
            return new WsTestOrigin(tls);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        origin.reset();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    @Test
    void framesGoBothWaysThroughATlsOrigin() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/secure")) {
            assertThat(origin.nextUri()).isEqualTo("/secure");
            WsPeer o = origin.nextConnection();
            c.peer.send(new TextWebSocketFrame("up"));
            assertThat(o.next().text()).isEqualTo("up");
            o.send(new TextWebSocketFrame("down"));
            assertThat(c.peer.next().text()).isEqualTo("down");
        }
    }

    @Test
    void anUntrustedCertificateIsAnUnreachableOrigin() throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), WsPassthroughHandshakeTest.upgrade("/checked/x"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("Error while proxying to origin.\n");
    }
}
