package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.ScriptProcess;

/**
 * {@code zhttpreq/} and {@code zhttp/} route targets with a ZHTTP origin on libzmq ({@code zhttp_origin.py}, written
 * from the protocol's description) connected to the sockets the target binds: plain requests in both modes, a
 * response body several times the credit window, a request body over one window, GRIP holds answered over ZHTTP,
 * a target nobody serves (502 once the session expired; the expiry is shortened here from Pushpin's 60 s), and
 * origins that break the protocol (a bad field, bytes that are no packet, an answer out of sequence, a request-mode
 * answer in parts): that client gets its 502, the others are served.
 */
@Timeout(90)
class ZhttpTargetTest {
    static final long EXPIRE_MILLIS = 4_000;

    static {
        // read when the server starts (below); Pushpin's 60 s would make the absent-service cases a minute long
        System.setProperty("pushpin.zhttp.session_expire_ms", Long.toString(EXPIRE_MILLIS));
    }

    static final int REQ_PORT = PushpinServerExtension.freeLocalPort();
    static final int STREAM_BASE = threeFreePorts();
    static final int ABSENT_REQ_PORT = PushpinServerExtension.freeLocalPort();
    static final int ABSENT_STREAM_BASE = threeFreePorts();
    static final AtomicInteger CHANNELS = new AtomicInteger();
    static ScriptProcess reqOrigin;
    static ScriptProcess streamOrigin;

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("req.test zhttpreq/tcp://127.0.0.1:" + REQ_PORT,
                    "stream.test zhttp/tcp://127.0.0.1:" + STREAM_BASE,
                    "absent.test zhttpreq/tcp://127.0.0.1:" + ABSENT_REQ_PORT,
                    "absent-stream.test zhttp/tcp://127.0.0.1:" + ABSENT_STREAM_BASE)
            .controlApi()
            .build();

    @BeforeAll
    static void origins() throws Exception {
        Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "the expiry is shortened for ours only");
        reqOrigin = ScriptProcess.pythonZmq("zhttp_origin.py", "req", "tcp://127.0.0.1:" + REQ_PORT);
        reqOrigin.expect("ready");
        streamOrigin = ScriptProcess.pythonZmq("zhttp_origin.py", "stream", "127.0.0.1",
                Integer.toString(STREAM_BASE));
        streamOrigin.expect("ready");
    }

    @AfterAll
    static void stop() {
        System.clearProperty("pushpin.zhttp.session_expire_ms");
        if (reqOrigin != null) {
            reqOrigin.close();
        }
        if (streamOrigin != null) {
            streamOrigin.close();
        }
    }

    /** A base port whose next two are free too (a stream target binds all three). */
    static int threeFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = PushpinServerExtension.freeLocalPort();
            if (base < 65000 && free(base + 1) && free(base + 2)) {
                return base;
            }
        }
        throw new IllegalStateException("no three free ports in a row");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static RawResponse ask(Req req) throws IOException {
        try (RawClient c = RawClient.connect(pushpin.httpPort()).timeout(Duration.ofSeconds(20))) {
            return c.exchange(req);
        }
    }

    private static JsonNode request(ScriptProcess origin, String uri) throws InterruptedException {
        return origin.await(e -> e.path("ev").asText().equals("request") && e.path("uri").asText().equals(uri),
                Duration.ofSeconds(10));
    }

    private static byte[] digits(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('0' + i % 10);
        }
        return b;
    }

    @Test
    void requestModeAnswersAPlainRequest() throws Exception {
        RawResponse r = ask(Req.get("/hello?x=1").host("req.test"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("zhttp req GET /hello?x=1 0\n");
        assertThat(r.header("X-Zhttp")).hasValue("req");
        assertThat(r.header("Content-Type")).hasValue("text/plain");
        assertThat(r.framing()).as("the whole body came with the head").isEqualTo(RawResponse.Framing.CONTENT_LENGTH);
        JsonNode seen = request(reqOrigin, "http://req.test/hello?x=1");
        assertThat(seen.path("method").asText()).isEqualTo("GET");
        assertThat(seen.path("headers").toString()).contains("[\"Host\",\"req.test\"]");

        RawResponse post = ask(Req.post("/form").host("req.test").body("a=1&b=2"));
        assertThat(post.bodyText()).isEqualTo("zhttp req POST /form 7\n");
        assertThat(request(reqOrigin, "http://req.test/form").path("body").asText()).isEqualTo("a=1&b=2");
    }

    @Test
    void streamModeAnswersAPlainRequest() throws Exception {
        RawResponse r = ask(Req.get("/hello").host("stream.test"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("zhttp stream GET /hello 0\n");
        assertThat(r.header("X-Zhttp")).hasValue("stream");
        assertThat(request(streamOrigin, "http://stream.test/hello").path("headers").toString())
                .contains("[\"Host\",\"stream.test\"]");
    }

    @Test
    void streamModeRelaysABodyLargerThanTheCreditWindow() throws Exception {
        int n = 1_000_000; // five windows of 200,000: the origin must get credit back four times over
        RawResponse r = ask(Req.get("/big/" + n).host("stream.test"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(digits(n));
        assertThat(r.framing()).as("a body in parts").isEqualTo(RawResponse.Framing.CHUNKED);
        JsonNode done = streamOrigin.await(e -> e.path("ev").asText().equals("done")
                && e.path("credits_received").asInt() >= n - 200_000, Duration.ofSeconds(10));
        assertThat(done).isNotNull();
    }

    @Test
    void streamModeSendsARequestBodyLargerThanTheCreditWindow() throws Exception {
        byte[] body = digits(450_000);
        RawResponse r = ask(Req.post("/upload").host("stream.test").body(body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("zhttp stream POST /upload 450000\n");
    }

    @Test
    void requestModeHoldIsAnsweredByAPublish() throws Exception {
        holdIsAnsweredByAPublish("req.test");
    }

    @Test
    void streamModeHoldIsAnsweredByAPublish() throws Exception {
        holdIsAnsweredByAPublish("stream.test");
    }

    private static void holdIsAnsweredByAPublish(String host) throws Exception {
        String ch = "zh" + CHANNELS.incrementAndGet() + "x" + System.nanoTime();
        Publish pub = pushpin.publisher();
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/hold/" + ch).host(host));
            request(host.startsWith("req") ? reqOrigin : streamOrigin, "http://" + host + "/hold/" + ch);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            RawResponse answered = null;
            while (answered == null) {
                pub.publish(Publish.item(ch).response("published over zhttp\n"));
                RawClient.Outcome o = c.outcome(Duration.ofMillis(300));
                if (o instanceof RawClient.Responded resp) {
                    answered = resp.response();
                } else {
                    assertThat(o).as("the held request").isInstanceOf(RawClient.Silent.class);
                    assertThat(System.nanoTime()).as("answered within 10 s").isLessThan(deadline);
                }
            }
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.bodyText()).isEqualTo("published over zhttp\n");
            assertThat(answered.hasHeader("Grip-Hold")).isFalse();
        }
    }

    @Test
    void streamModeStreamHoldGetsPublishedContent() throws Exception {
        String ch = "zs" + CHANNELS.incrementAndGet() + "x" + System.nanoTime();
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/stream/" + ch).host("stream.test"))) {
            assertThat(s.status()).isEqualTo(200);
            s.awaitText("initial\n", Duration.ofSeconds(10));
            // the stream is subscribed before its first byte went out: one publish reaches it
            pub.stream(ch, "published\n");
            assertThat(s.awaitText("published\n", Duration.ofSeconds(10))).isEqualTo("initial\npublished\n");
        }
    }

    @Test
    void anAbsentRequestModeServiceIsA502OnceTheSessionExpired() throws Exception {
        long start = System.nanoTime();
        RawResponse r = ask(Req.get("/nobody").host("absent.test"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertThat(millis).as("answered after the expiry, not before").isGreaterThanOrEqualTo(EXPIRE_MILLIS - 100);
    }

    @Test
    void anAbsentStreamModeServiceIsA502AtOnce() throws Exception {
        long start = System.nanoTime();
        RawResponse r = ask(Req.get("/nobody").host("absent-stream.test"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertThat(millis).as("nobody connected to take it: no waiting").isLessThan(EXPIRE_MILLIS - 500);
    }

    @Test
    void aBadFieldEndsThatRequestAtOnce() throws Exception {
        for (String host : new String[] {"req.test", "stream.test"}) {
            long start = System.nanoTime();
            RawResponse r = ask(Req.get("/bad-field").host(host));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).as(host).isEqualTo(502);
            assertThat(millis).as(host + ": not left to expire").isLessThan(EXPIRE_MILLIS - 500);
            assertThat(ask(Req.get("/after").host(host)).status()).as(host + " serves on").isEqualTo(200);
        }
    }

    @Test
    void requestModeAnswerInPartsIsA502() throws Exception {
        RawResponse r = ask(Req.get("/more").host("req.test"));
        assertThat(r.status()).isEqualTo(502);
    }

    @Test
    void anAnswerOutOfSequenceIsCancelledAndA502() throws Exception {
        RawResponse r = ask(Req.get("/oos").host("stream.test"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(streamOrigin.await(e -> e.path("ev").asText().equals("cancel")
                && e.path("uri").asText().endsWith("/oos"), Duration.ofSeconds(10))).isNotNull();
    }

    @Test
    void aClientThatLeavesCancelsItsSessionAndTheOriginIsHeldToTheWindow() throws Exception {
        // 50 MB asked, the client reads the head and goes: the origin could send one window (200,000 bytes)
        // ahead of what the client's socket took, never the whole, and hears the cancel
        int n = 50_000_000;
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/big/" + n).host("stream.test"));
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
        }
        JsonNode cancel = streamOrigin.await(e -> e.path("ev").asText().equals("cancel")
                && e.path("uri").asText().endsWith("/big/" + n), Duration.ofSeconds(20));
        assertThat(cancel.path("sent").asLong()).as("body bytes the origin sent").isLessThan(n / 2);
    }

    @Test
    void aRequestBodyOverTheLimitIsA502() throws Exception {
        RawResponse r = ask(Req.post("/upload").host("req.test").body(digits(1_000_001)));
        assertThat(r.status()).isEqualTo(502);
        assertThat(ask(Req.post("/upload").host("req.test").body(digits(1_000_000))).bodyText())
                .isEqualTo("zhttp req POST /upload 1000000\n");
    }

    @Test
    void garbageReachesNobodyButOthersAreServed() throws Exception {
        for (String host : new String[] {"req.test", "stream.test"}) {
            try (RawClient garbage = RawClient.connect(pushpin.httpPort()).timeout(Duration.ofSeconds(20))) {
                garbage.send(Req.get("/garbage").host(host));
                request(host.startsWith("req") ? reqOrigin : streamOrigin, "http://" + host + "/garbage");
                RawResponse other = ask(Req.get("/meanwhile").host(host));
                assertThat(other.status()).as(host).isEqualTo(200);
                assertThat(other.bodyText()).as(host).endsWith("GET /meanwhile 0\n");
                // the packet named no session: the request it answered can only expire
                RawResponse r = garbage.read();
                assertThat(r.status()).as(host).isEqualTo(502);
            }
        }
    }

    @Test
    void aWebSocketOnAZhttpRouteIsA502() throws Exception {
        for (String host : new String[] {"req.test", "stream.test"}) {
            RawResponse r = ask(Req.get("/ws").host(host).header("Upgrade", "websocket")
                    .header("Connection", "Upgrade").header("Sec-WebSocket-Version", "13")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
            assertThat(r.status()).as(host).isEqualTo(502);
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
