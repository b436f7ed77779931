package org.pushpin.it.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.H2Client;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;
import org.pushpin.testing.TestOrigin;

/** By default (no {@code http2} key): HTTP/1.x only, as Pushpin; no h2 offered by ALPN. */
@Timeout(30)
class Http2OffTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .httpPorts("127.0.0.1:0")
            .httpsPorts("127.0.0.1:0")
            .defaultTlsCertificate(SelfSignedCert.generate("localhost"))
            .routes("* " + origin.target())
            .build();

    @Test
    void thePrefaceIsABadHttp1Request() throws Exception {
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            byte[] answer = c.input().readAllBytes();
            assertThat(new String(answer, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 ");
        } catch (IOException reset) {
            // the server may close while our SETTINGS frame is still unread: a reset, not an HTTP/2 answer
            assertThat(reset).isNotInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void alpnOffersOnlyHttp11() throws Exception {
        origin.on("/off", Reply.ok("off"));
        try (H2Client c = H2Client.connectTls(pushpin.httpsPort())) {
            assertThat(c.alpn()).isIn("", "http/1.1", null);
        }
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            assertThat(c.exchange(Req.get("/off")).bodyText()).isEqualTo("off");
        }
    }
}
