package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.testing.TestOrigin;

/**
 * {@code -Dpushpin.transport=io_uring}: a server process on Netty's io_uring transport serves proxied requests
 * (its origin sockets are io_uring ones too), held streams and WebSockets over TCP and a unix socket; where io_uring
 * is not available (here: native transports switched off) it says so and serves on the fallback.
 */
@Timeout(60)
class IoUringTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Bigger than a socket buffer: the response goes out in several sends. */
    private static final byte[] LARGE = new byte[4 << 20];

    static {
        Arrays.fill(LARGE, (byte) 'x');
    }

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension uring = PushpinServerExtension.builder()
            .routes("*,path_beg=/origin/ " + origin.target(), "* test")
            .localPorts("pushpin.sock")
            .controlApi()
            .inChildJvm("-Dpushpin.transport=io_uring")
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension fallback = PushpinServerExtension.builder()
            .routes("* test")
            .controlApi()
            .inChildJvm("-Dpushpin.transport=io_uring", "-Dio.netty.transport.noNative=true")
            .build();

    @BeforeAll
    static void oursOnly() {
        assumeFalse(PushpinServerExtension.againstReference(), "the transport is pushpin-java's own");
    }

    @Test
    void servesOverIoUring() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available on this machine");
        assertThat(uring.log()).contains("started (io_uring transport");

        origin.on("/origin/large", Reply.ok("").body(LARGE));
        try (RawClient c = RawClient.connect(uring.httpPort())) {
            RawResponse r = c.exchange(Req.get("/origin/large"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(LARGE);
            // keep-alive on the same connection
            assertThat(c.exchange(Req.get("/origin/large")).body()).hasSize(LARGE.length);
        }
        try (RawClient c = RawClient.connectUnix(uring.localPort(0))) {
            assertThat(c.exchange(Req.get("/origin/large")).body()).hasSize(LARGE.length);
        }

        try (HeldStream stream = HeldStream.open(uring.httpPort(), Req.get("/stream?channel=uring-s"));
             ScriptProcess ws = ScriptProcess.python("ws_peer.py", "client",
                     "ws://127.0.0.1:" + uring.httpPort() + "/ws?channel=uring-w")) {
            stream.awaitText("[stream opened]\n", WAIT);
            ws.expect("open");
            Publish pub = uring.publisher();
            pub.publish(Publish.item("uring-s").stream("one\n"), Publish.item("uring-s").stream("two\n"),
                    Publish.item("uring-s").stream("three\n"),
                    Publish.item("uring-w").format("ws-message", "{\"content\": \"to the socket\"}"));
            stream.awaitText("one\ntwo\nthree\n", WAIT);
            assertThat(ws.await(e -> e.path("ev").asText().equals("text"), WAIT).path("data").asText())
                    .isEqualTo("to the socket");
            ws.send(Map.of("op", "text", "data", "echo me"));
            assertThat(ws.await(e -> e.path("ev").asText().equals("text"), WAIT).path("data").asText())
                    .isEqualTo("echo me");
            pub.closeStreams("uring-s");
            assertThat(stream.awaitEnd(WAIT)).isTrue();
            assertThat(stream.endedCleanly()).isTrue();
        }
    }

    @Test
    void fallsBackWhenIoUringIsUnavailable() throws Exception {
        // the child's "started" line may be written an instant after its ports answer
        org.pushpin.testing.Await.until(WAIT, () -> fallback.log().contains("started ("), "the started line");
        assertThat(fallback.log()).contains("io_uring is not available here (")
                .contains("; using nio").contains("started (nio transport");
        try (HeldStream stream = HeldStream.open(fallback.httpPort(), Req.get("/stream?channel=fallback"))) {
            stream.awaitText("[stream opened]\n", WAIT);
            fallback.publisher().stream("fallback", "still served\n");
            stream.awaitText("still served\n", WAIT);
        }
    }
}
