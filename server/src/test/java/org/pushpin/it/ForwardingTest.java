package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.Await;
import org.pushpin.testing.Bytes;
import org.pushpin.testing.HttpWire;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.RawResponse.Framing;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Plain proxying (docs/compatibility.md#same-as-136, #deliberately-different): what goes through to the origin and
 * what comes back, framing included.
 */
@Timeout(30)
class ForwardingTest {

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .build();

    private static RawClient client() throws Exception {
        return RawClient.connect(pushpin.httpPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE", "OPTIONS"})
    void bodylessMethodReachesOriginWithItsTargetUnchanged(String method) throws Exception {
        origin.on("/fwd/method", r -> Reply.ok("answer to " + r.method()));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.of(method, "/fwd/method?a=1&b=x%20y&c=%2F"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("answer to " + method);
        OriginRequest seen = origin.awaitRequest("/fwd/method");
        assertThat(seen.method()).isEqualTo(method);
        assertThat(seen.uri()).isEqualTo("/fwd/method?a=1&b=x%20y&c=%2F");
        assertThat(seen.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH"})
    void requestBodyWithContentLengthReachesOrigin(String method) throws Exception {
        origin.on("/fwd/body", r -> Reply.ok("got " + r.body().length));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(),
                Req.of(method, "/fwd/body").header("Content-Type", "application/json").body("{\"hello\":\"world\"}"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("got 17");
        OriginRequest seen = origin.awaitRequest("/fwd/body");
        assertThat(seen.method()).isEqualTo(method);
        assertThat(seen.bodyText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(seen.header("Content-Type")).hasValue("application/json");
    }

    @Test
    void chunkedRequestBodyReachesOriginByteExact() throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(),
                Req.post("/fwd/chunked-up").chunked("hello ", "chunked ", "world"));

        assertThat(resp.status()).isEqualTo(200);
        OriginRequest seen = origin.awaitRequest("/fwd/chunked-up");
        assertThat(seen.bodyText()).isEqualTo("hello chunked world");
        assertThat(seen.bodyComplete()).isTrue();
    }

    @Test
    void statusReasonHeadersAndBodyAreRelayed() throws Exception {
        origin.on("/fwd/relay", Reply.status(201, "Made It")
                .header("Content-Type", "application/json")
                .header("X-Origin", "one")
                .header("X-Dup", "a")
                .header("X-Dup", "b")
                .header("Set-Cookie", "k=v; Path=/")
                .body("{\"a\":1}"));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/relay"));

        assertThat(resp.status()).isEqualTo(201);
        assertThat(resp.reason()).isEqualTo("Made It");
        assertThat(resp.header("Content-Type")).hasValue("application/json");
        assertThat(resp.header("X-Origin")).hasValue("one");
        assertThat(resp.headers("X-Dup")).containsExactly("a", "b");
        assertThat(resp.header("Set-Cookie")).hasValue("k=v; Path=/");
        assertThat(resp.bodyText()).isEqualTo("{\"a\":1}");
        assertThat(resp.header("Content-Length")).hasValue("7");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 500, 503})
    void originErrorResponsesAreRelayedUnchanged(int status) throws Exception {
        origin.on("/fwd/error", Reply.status(status, "Origin Says No").header("Content-Type", "text/plain")
                .body("origin error body " + status));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/error"));

        assertThat(resp.status()).isEqualTo(status);
        assertThat(resp.reason()).isEqualTo("Origin Says No");
        assertThat(resp.bodyText()).isEqualTo("origin error body " + status);
    }

    @Test
    void headRelaysOriginHeadersWithoutBody() throws Exception {
        origin.on("/fwd/head", Reply.ok("eleven byte").header("X-Origin", "head"));
        try (RawClient c = client()) {
            RawResponse head = c.exchange(Req.head("/fwd/head"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("X-Origin")).hasValue("head");
            assertThat(origin.awaitRequest("/fwd/head").method()).isEqualTo("HEAD");

            // if any body bytes had followed the HEAD response, this response would be garbled
            RawResponse next = c.exchange(Req.get("/fwd/after-head"));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("origin GET /fwd/after-head");
        }
    }

    @Test
    void http10ResponseEndsWithClose() throws Exception {
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/http10").http10());
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("origin GET /fwd/http10");
            assertThat(resp.hasHeader("Transfer-Encoding")).isFalse();
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("connection closed after an HTTP/1.0 response")
                    .isTrue();
        }
    }

    @Test
    void http10KeepAliveIsEchoedAndHonoured() throws Exception {
        try (RawClient c = client()) {
            RawResponse first = c.exchange(Req.get("/fwd/ka10/1").http10().header("Connection", "keep-alive"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.framing()).isEqualTo(Framing.CONTENT_LENGTH);
            assertThat(RawClient.names(first)).contains("connection");
            assertThat(first.headers("Connection").toString().toLowerCase()).contains("keep-alive");

            RawResponse second = c.exchange(Req.get("/fwd/ka10/2").http10().header("Connection", "keep-alive"));
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo("origin GET /fwd/ka10/2");
        }
    }

    @Test
    void http11ConnectionCloseIsHonoured() throws Exception {
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/close").header("Connection", "close"));
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("origin GET /fwd/close");
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("closed after Connection: close").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void bodylessStatusesAreRelayedWithoutABody(int status) throws Exception {
        origin.on("/fwd/bodyless", Reply.status(status).header("ETag", "\"v1\"").header("X-Origin", "yes"));
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/bodyless"));
            assertThat(resp.status()).isEqualTo(status);
            assertThat(resp.header("ETag")).hasValue("\"v1\"");
            assertThat(resp.header("X-Origin")).hasValue("yes");
            assertThat(resp.hasHeader("Transfer-Encoding")).isFalse();
            // nothing may follow the head: the next response must parse cleanly
            assertThat(c.exchange(Req.get("/fwd/after-bodyless")).bodyText())
                    .isEqualTo("origin GET /fwd/after-bodyless");
        }
    }

    @Test
    void pushpinCheckIsAnsweredWithoutProxying() throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(),
                Req.get("/fwd/check").header("Pushpin-Check", "1"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.body()).isNotEmpty();
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void absoluteFormTargetIsForwardedInOriginForm() throws Exception {
        // RFC 9112 §3.2.2: a server MUST accept absolute-form; the authority replaces Host.
        // 1.36 mangles it ("GET //abs.example/..." with Host "localhosthttp"), which we do not copy.
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 mangles absolute-form targets");

        RawResponse resp = RawClient.exchange(pushpin.httpPort(),
                Req.get("http://abs.example:8080/fwd/absolute?q=1"));

        assertThat(resp.status()).isEqualTo(200);
        OriginRequest seen = origin.awaitRequest("/fwd/absolute");
        assertThat(seen.uri()).isEqualTo("/fwd/absolute?q=1");
        assertThat(seen.headers("Host")).containsExactly("abs.example:8080");
    }

    @Test
    void http11ConnectionCarriesSeveralRequests() throws Exception {
        try (RawClient c = client()) {
            for (int i = 0; i < 5; i++) {
                RawResponse resp = c.exchange(Req.get("/fwd/ka11/" + i));
                assertThat(resp.status()).isEqualTo(200);
                assertThat(resp.bodyText()).isEqualTo("origin GET /fwd/ka11/" + i);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // the first answer is the slowest, so answering in completion order would be visible
        origin.on("/fwd/pipe/0", Reply.ok("zero").delay(Duration.ofMillis(150)));
        origin.on("/fwd/pipe/1", Reply.ok("one"));
        origin.on("/fwd/pipe/2", Reply.ok("two").header("X-N", "2"));
        try (RawClient c = client()) {
            List<byte[]> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Req r = Req.get("/fwd/pipe/" + i);
                all.add(r.bytes());
            }
            byte[] joined = new byte[all.stream().mapToInt(b -> b.length).sum()];
            int off = 0;
            for (byte[] b : all) {
                System.arraycopy(b, 0, joined, off, b.length);
                off += b.length;
            }
            c.send(joined);
            assertThat(c.read().bodyText()).isEqualTo("zero");
            assertThat(c.read().bodyText()).isEqualTo("one");
            RawResponse third = c.read();
            assertThat(third.bodyText()).isEqualTo("two");
            assertThat(third.header("X-N")).hasValue("2");
        }
    }

    @Test
    void originConnectionsAreReusedAcrossRequests() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/reuse/" + i)).status()).isEqualTo(200);
        }
        assertThat(origin.requests()).hasSize(6);
        assertThat(origin.connectionsAccepted()).as("origin connections for 6 sequential requests").isLessThan(6);
    }

    @Test
    void originClosingAnIdleConnectionDoesNotFailTheNextRequest() throws Exception {
        assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/idle/1")).status()).isEqualTo(200);
        origin.closeConnections();
        Await.until(Duration.ofSeconds(5), () -> origin.openConnections() == 0,
                "origin connections closed");

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/idle/2"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("origin GET /fwd/idle/2");
    }

    /**
     * An origin that closes a reused keep-alive connection without answering may have acted on the request: a GET
     * is asked again on a fresh connection, a POST is not (it gets the 502), as RFC 9110 §9.2.2 allows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void aReusedConnectionClosedUnansweredIsRetriedOnlyForARepeatableMethod(String method) throws Exception {
        String path = "/fwd/closed-unanswered-" + method;
        AtomicLong asked = new AtomicLong();
        origin.on(path, r -> {
            if (!r.method().equals(method)) {
                return Reply.ok("warm"); // leaves a pooled connection behind
            }
            if (asked.incrementAndGet() == 1) {
                origin.closeConnections(); // the reused connection goes away with the request unanswered
                return Reply.stall();
            }
            return Reply.ok("asked again");
        });
        try (RawClient c = client()) {
            assertThat(c.exchange(Req.of(method.equals("GET") ? "HEAD" : "GET", path)).status()).isEqualTo(200);
            RawResponse r = c.exchange(Req.of(method, path));
            if (method.equals("GET")) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("asked again");
                assertThat(asked.get()).isEqualTo(2);
            } else {
                assertThat(r.status()).isEqualTo(502);
                assertThat(asked.get()).as("the POST reached the origin once").isEqualTo(1);
            }
        }
    }

    @Test
    void chunkedOriginResponseIsReframedForHttp11Client() throws Exception {
        byte[] body = Bytes.random(5000, 1);
        origin.on("/fwd/chunked-down", Reply.status(200).header("Content-Type", "application/octet-stream")
                .body(body).chunked(1000));
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/chunked-down"));
            assertThat(resp.status()).isEqualTo(200);
            // 1.36 sends a body it already holds whole with a Content-Length; a streamed one is chunked
            assertThat(resp.framing()).isIn(Framing.CHUNKED, Framing.CONTENT_LENGTH);
            assertThat(resp.hasHeader("Content-Length") && resp.hasHeader("Transfer-Encoding")).isFalse();
            assertThat(resp.headers("Transfer-Encoding")).allMatch(v -> v.equalsIgnoreCase("chunked"));
            assertThat(resp.body()).isEqualTo(body);
            assertThat(c.exchange(Req.get("/fwd/after-chunked")).status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedOriginResponseIsCloseDelimitedToHttp10Client() throws Exception {
        byte[] body = Bytes.random(5000, 2);
        origin.on("/fwd/chunked-down10", Reply.status(200).body(body).chunked(1000));
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/chunked-down10").http10());
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.hasHeader("Transfer-Encoding")).as("no chunked coding toward HTTP/1.0").isFalse();
            assertThat(resp.body()).isEqualTo(body);
            assertThat(resp.complete()).isTrue();
        }
    }

    @Test
    void closeDelimitedOriginResponseIsReframed() throws Exception {
        byte[] body = Bytes.random(30_000, 3);
        origin.on("/fwd/close-delimited", Reply.status(200).body(body).closeDelimited());
        try (RawClient c = client()) {
            RawResponse resp = c.exchange(Req.get("/fwd/close-delimited"));
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.body()).isEqualTo(body);
            assertThat(resp.framing()).as("re-framed for an HTTP/1.1 client").isNotEqualTo(Framing.CLOSE);
            // re-framing keeps the client connection usable
            RawResponse next = c.exchange(Req.get("/fwd/after-close-delimited"));
            assertThat(next.bodyText()).isEqualTo("origin GET /fwd/after-close-delimited");
        }
    }

    @Test
    void responseBodyIsStreamedBeforeTheOriginFinishes() throws Exception {
        // small on purpose: a proxy that waits to fill a buffer before writing would hold it
        byte[] first = "first part\n".getBytes(StandardCharsets.US_ASCII);
        CountDownLatch rest = new CountDownLatch(1);
        origin.on("/fwd/stream-down", r -> Reply.status(200).header("Content-Type", "text/plain").chunked()
                .streamed(-1, out -> {
                    out.write(first);
                    out.flush();
                    await(rest);
                    out.write("second part\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }));
        try (RawClient c = client()) {
            c.send(Req.get("/fwd/stream-down"));
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(HttpWire.isChunked(head.headers())).as("unknown length: chunked").isTrue();
            InputStream body = c.body(head, "GET");
            assertThat(body.readNBytes(first.length)).isEqualTo(first);
            rest.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second part\n");
        } finally {
            rest.countDown();
        }
    }

    @Test
    void requestBodyIsStreamedBeforeTheClientFinishes() throws Exception {
        int total = 1_000_000;
        int early = 300_000;
        AtomicLong received = new AtomicLong();
        origin.onStream("/fwd/stream-up", (head, body) -> {
            byte[] buf = new byte[8192];
            int n;
            while ((n = body.read(buf)) >= 0) {
                received.addAndGet(n);
            }
            return Reply.ok("received " + received.get());
        });
        byte[] payload = Bytes.random(total, 7);
        try (RawClient c = client()) {
            c.send(Req.post("/fwd/stream-up").header("Content-Length", Integer.toString(total)).head());
            c.send(java.util.Arrays.copyOfRange(payload, 0, early));
            // more than the 100 KB Pushpin keeps for retries must reach the origin while the client still sends
            Await.until(Duration.ofSeconds(10), () -> received.get() >= 200_000,
                    () -> "origin received only " + received.get() + " bytes of the first " + early);
            c.send(java.util.Arrays.copyOfRange(payload, early, total));
            RawResponse resp = c.read();
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("received " + total);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the origin");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reply.Framing.class)
    void largeResponseBodyIsRelayedByteExact(Reply.Framing framing) throws Exception {
        byte[] body = Bytes.random(400 * 1024, 4);
        Reply reply = Reply.status(200).header("Content-Type", "application/octet-stream").body(body);
        origin.on("/fwd/big-down", switch (framing) {
            case LENGTH -> reply;
            case CHUNKED -> reply.chunked(16 * 1024);
            case CLOSE -> reply.closeDelimited();
        });

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/fwd/big-down"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.complete()).isTrue();
        assertThat(resp.body().length).isEqualTo(body.length);
        assertThat(Bytes.sha256(resp.body())).isEqualTo(Bytes.sha256(body));
    }

    @Test
    void largeRequestBodyIsForwardedByteExact() throws Exception {
        byte[] body = Bytes.random(400 * 1024, 5);

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.post("/fwd/big-up").body(body));

        assertThat(resp.status()).isEqualTo(200);
        OriginRequest seen = origin.awaitRequest("/fwd/big-up");
        assertThat(seen.bodyComplete()).isTrue();
        assertThat(seen.body().length).isEqualTo(body.length);
        assertThat(Bytes.sha256(seen.body())).isEqualTo(Bytes.sha256(body));
    }

    @Test
    void largeChunkedRequestBodyIsForwardedByteExact() throws Exception {
        byte[] body = Bytes.random(400 * 1024, 6);
        List<byte[]> chunks = new ArrayList<>();
        for (int off = 0; off < body.length; off += 10_000) {
            chunks.add(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 10_000)));
        }

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.post("/fwd/big-chunked-up").chunked(chunks));

        assertThat(resp.status()).isEqualTo(200);
        OriginRequest seen = origin.awaitRequest("/fwd/big-chunked-up");
        assertThat(seen.body().length).isEqualTo(body.length);
        assertThat(Bytes.sha256(seen.body())).isEqualTo(Bytes.sha256(body));
    }

    @Test
    void expect100ContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        try (RawClient c = client()) {
            Req req = Req.post("/fwd/expect").header("Expect", "100-continue")
                    .header("Content-Length", "11").noContentLength();
            c.send(req.head());
            RawResponse interim = c.read();
            assertThat(interim.status()).isEqualTo(100);

            c.send("hello world");
            RawResponse resp = c.readFinal();
            assertThat(resp.status()).isEqualTo(200);
        }
        OriginRequest seen = origin.awaitRequest("/fwd/expect");
        assertThat(seen.bodyText()).isEqualTo("hello world");
        assertThat(seen.hasHeader("Expect")).as("Expect is hop-by-hop (docs/grip.md#requests-to-the-origin)").isFalse();
    }
}
