package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The timeouts a client or origin that stalls runs into (docs/reliability.md), with the limits set to 1 s: a client
 * that sends nothing, or a request head a byte at a time (slowloris), or idles on a keep-alive connection, is
 * disconnected ({@code client_request_timeout}); many such clients do not stop service to others; a held stream is
 * not a stalled request; an origin that answers nothing within {@code origin_timeout} gets the client Pushpin's 502.
 */
@Timeout(60)
class TimeoutsTest {
    static final RawOrigin stalling = RawOrigin.stalling();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .runner("client_request_timeout", "1")
            .proxy("origin_timeout", "1")
            .routes("stall.test " + stalling.target(), "*,path_beg=/t/ test", "* " + origin.target())
            .build();

    @AfterAll
    static void closeRawOrigin() {
        stalling.close();
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "1.36 has no client timeout and its origin timeout is zurl's 600 s");
    }

    /** Reads until the server closes; true when it did within {@code limit}. */
    private static boolean closedWithin(Socket s, Duration limit) throws Exception {
        s.setSoTimeout((int) limit.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // a response before the close is fine
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Test
    void aClientThatSendsNothingIsDisconnected() throws Exception {
        try (Socket s = new Socket("127.0.0.1", pushpin.httpPort())) {
            assertThat(closedWithin(s, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aRequestHeadTrickledAByteAtATimeIsCutOff() throws Exception {
        try (Socket s = new Socket("127.0.0.1", pushpin.httpPort())) {
            byte[] head = "GET /slow HTTP/1.1\r\nHost: example.com\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            s.setSoTimeout(200);
            boolean closed = false;
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    s.getOutputStream().write(head[i]);
                    s.getOutputStream().flush();
                    closed = s.getInputStream().read() < 0; // waits 200 ms for the server's close
                } catch (SocketTimeoutException e) {
                    // still open: the next byte
                } catch (java.net.SocketException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("cut off before the head was complete").isTrue();
        }
        assertThat(origin.requestsTo("/slow")).isEmpty();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsResponse() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(Req.get("/keep"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEmpty(); // kept alive
            c.timeout(Duration.ofSeconds(10));
            assertThat(c.readUntilClose()).isEmpty();
        }
    }

    @Test
    void anUploadThatStallsIsCutOffAndOneThatKeepsComingIsServed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", pushpin.httpPort())) {
            s.getOutputStream().write(("POST /upload-stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                    + "only ten b").getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithin(s, Duration.ofSeconds(10))).as("a stalled body is cut off").isTrue();
        }
        try (Socket s = new Socket("127.0.0.1", pushpin.httpPort())) {
            s.getOutputStream().write("POST /upload-slow HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // 12 bytes over ~2.4 s, one each 200 ms: slower than the 1 s limit in all, never silent for 1 s
            for (int i = 0; i < 12; i++) {
                s.getOutputStream().write('a' + i);
                s.getOutputStream().flush();
                Thread.sleep(200); // the client's own pace: the point of the test (not a wait for the server)
            }
            s.setSoTimeout(10_000);
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        assertThat(origin.requestsTo("/upload-slow")).singleElement()
                .satisfies(r -> assertThat(r.bodyText()).isEqualTo("abcdefghijkl"));
    }

    @Test
    void manyStalledClientsDoNotStopServiceToOthers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                Socket s = new Socket("127.0.0.1", pushpin.httpPort());
                s.getOutputStream().write("GET /never HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                stalled.add(s);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/served/" + i)).status()).isEqualTo(200);
            }
            for (Socket s : stalled) {
                assertThat(closedWithin(s, Duration.ofSeconds(15))).isTrue();
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aHeldStreamOutlivesTheRequestTimeout() throws Exception {
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/t/stream?channel=to-held"))) {
            s.awaitText("[stream opened]\n", Duration.ofSeconds(10));
            // well past the 1 s limit: publish until one arrives 3 s after the hold began
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - start < 3_000_000_000L) {
                pushpin.publisher().publish(Publish.item("to-held").stream("tick-" + n++ + "\n"));
                s.awaitText("tick-" + (n - 1) + "\n", Duration.ofSeconds(10));
            }
            assertThat(s.ended()).isFalse();
        }
    }

    @Test
    void anOriginThatAnswersNothingIsAPushpin502() throws Exception {
        long before = System.nanoTime();
        RawResponse r = RawClient.exchange(pushpin.httpPort(), Req.get("/").host("stall.test"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(8));
    }
}
