package org.pushpin.it.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.H2Client;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Reply;
import org.pushpin.testing.TestOrigin;

/** {@code client_request_timeout} over HTTP/2: a connection with no open stream is closed; a held one is not. */
@Timeout(30)
class Http2IdleTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .runner("http2", "true")
            .httpPorts("127.0.0.1:0")
            .controlApi()
            .runner("client_request_timeout", "1")
            .routes("* " + origin.target())
            .build();

    @Test
    void anIdleConnectionIsClosedAHeldOneIsNot() throws Exception {
        origin.on("/idle/ok", Reply.ok("ok"));
        origin.on("/idle/held", Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "stream")
                .header("Grip-Channel", "h2-idle").body("open\n"));
        try (H2Client held = H2Client.connect(pushpin.httpPort()).start();
             H2Client idle = H2Client.connect(pushpin.httpPort()).start()) {
            held.get(1, "/idle/held", "example.test");
            Await.until(Duration.ofSeconds(10), () -> pushpin.server().hub().subscriberCount("h2-idle") == 1,
                    "held");
            idle.get(1, "/idle/ok", "example.test");
            idle.readUntil(f -> f.stream() == 1 && f.endStream());
            // no stream open after the answer: closed once the timeout passes, with GOAWAY NO_ERROR
            List<H2Client.Frame> rest = idle.readToClose();
            H2Client.Frame goAway = rest.stream().filter(f -> f.type() == Http2FrameTypes.GO_AWAY).findFirst()
                    .orElseThrow(() -> new AssertionError("no GOAWAY in " + rest));
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            // the held stream outlived it and still gets what is published
            pushpin.publisher().stream("h2-idle", "still here\n");
            while (!held.body(1).endsWith("still here\n")) {
                held.read();
            }
        }
    }

    @Test
    void aClientThatSendsNothingIsClosed() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            assertThat(c.readUntilClose()).isEmpty(); // the sniffer's deadline: closed, nothing said
        }
    }
}
