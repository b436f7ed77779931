package org.pushpin.it.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.H2Client;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;
import org.pushpin.testing.TestOrigin;

/**
 * HTTP/2 from clients (docs/http2.md): nghttp (and h2load) through us to an origin over h2c with prior knowledge and over TLS
 * with ALPN, stream holds and long-polls on streams of one connection, a client's RST_STREAM ending its hold, and
 * HTTP/1.1 on the same ports as before.
 */
@Timeout(60)
class Http2ProxyTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final SelfSignedCert CERT = SelfSignedCert.generate("localhost");

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .runner("http2", "true")
            .httpPorts("127.0.0.1:0")
            .httpsPorts("127.0.0.1:0")
            .defaultTlsCertificate(CERT)
            .controlApi()
            .routes("* " + origin.target())
            .build();

    static Reply stream(String channel, String initial) {
        return Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream")
                .header("Grip-Channel", channel).body(initial);
    }

    static String nghttp(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nghttp", "-v", "-t", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void nghttpWithPriorKnowledgeOnThePlainPort() throws Exception {
        origin.on("/h2/plain", Reply.ok("plain answer").header("Connection", "keep-alive"));
        String out = nghttp("-H", "x-test: one", "http://127.0.0.1:" + pushpin.httpPort() + "/h2/plain?q=1");
        assertThat(out).contains(":status: 200").contains("plain answer");
        // connection-specific headers never go out on HTTP/2 (RFC 9113 §8.2.2)
        assertThat(out.lines().filter(l -> l.contains("recv (stream_id"))
                .map(l -> l.substring(l.indexOf(')') + 1).strip().toLowerCase())
                .filter(l -> l.startsWith("connection") || l.startsWith("transfer-encoding")
                        || l.startsWith("keep-alive"))).isEmpty();
        var req = origin.awaitRequest("/h2/plain");
        assertThat(req.uri()).isEqualTo("/h2/plain?q=1");
        assertThat(req.version()).isEqualTo("HTTP/1.1");
        assertThat(req.headers("Host")).containsExactly("127.0.0.1:" + pushpin.httpPort());
        assertThat(req.headers("x-test")).containsExactly("one");
        assertThat(req.headers().stream().map(h -> h.name().toLowerCase())).noneMatch(n -> n.startsWith("x-http2"));
    }

    /** Debian's h2load: 400 requests over 4 connections with up to 20 streams each at once, every one answered. */
    @Test
    void h2loadManyConcurrentStreamsPerConnection() throws Exception {
        origin.on("/h2/load", Reply.ok("loaded"));
        Process p = new ProcessBuilder("h2load", "-n", "400", "-c", "4", "-m", "20",
                "http://127.0.0.1:" + pushpin.httpPort() + "/h2/load").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("Application protocol: h2c")
                .contains("requests: 400 total, 400 started, 400 done, 400 succeeded, 0 failed")
                .contains("status codes: 400 2xx");
    }

    @Test
    void nghttpWithAlpnOverTls() throws Exception {
        origin.on("/h2/tls", Reply.ok("tls answer"));
        String out = nghttp("https://127.0.0.1:" + pushpin.httpsPort() + "/h2/tls");
        assertThat(out).contains("negotiated protocol: h2").contains(":status: 200").contains("tls answer");
        var req = origin.awaitRequest("/h2/tls");
        assertThat(req.headers("Host")).containsExactly("127.0.0.1:" + pushpin.httpsPort());
    }

    @Test
    void http1StillServedOnBothPorts() throws Exception {
        origin.on("/h1/plain", Reply.ok("one"));
        origin.on("/h1/post", r -> Reply.ok("got " + r.bodyText()));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(Req.get("/h1/plain"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.version()).isEqualTo("HTTP/1.1");
            assertThat(r.bodyText()).isEqualTo("one");
            // a method starting with P, as the preface does, and keep-alive on the same connection
            assertThat(c.exchange(Req.post("/h1/post").body("x")).bodyText()).isEqualTo("got x");
        }
        try (RawClient c = RawClient.connectTls(pushpin.httpsPort(), null)) {
            assertThat(c.exchange(Req.get("/h1/plain")).status()).isEqualTo(200);
        }
        try (H2Client c = H2Client.connectTls(pushpin.httpsPort())) {
            assertThat(c.alpn()).isEqualTo("h2");
        }
    }

    @Test
    void aRequestBodyInDataFramesReachesTheOrigin() throws Exception {
        origin.on("/h2/post", r -> Reply.ok("got " + r.bodyText()));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.headers(1, H2Client.request("POST", "/h2/post", "example.test"), false);
            c.data(1, "hello ", false);
            c.data(1, "world", true);
            H2Client.Frame head = c.readUntil(f -> f.type() == Http2FrameTypes.HEADERS && f.stream() == 1);
            assertThat(head.headers().status().toString()).isEqualTo("200");
            readUntilEnd(c, 1);
            assertThat(c.body(1)).isEqualTo("got hello world");
        }
        assertThat(origin.awaitRequest("/h2/post").bodyText()).isEqualTo("hello world");
    }

    @Test
    void anUpgradeToH2cIsAnsweredInHttp11() throws Exception {
        origin.on("/h1/upgrade", Reply.ok("no upgrade"));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(Req.get("/h1/upgrade").header("Connection", "Upgrade, HTTP2-Settings")
                    .header("Upgrade", "h2c").header("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.version()).isEqualTo("HTTP/1.1");
            assertThat(r.bodyText()).isEqualTo("no upgrade");
        }
    }

    @Test
    void sseOnTwoStreamsOfOneConnection() throws Exception {
        origin.on("/h2/sse", stream("h2-sse", "event: open\n\n"));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.get(1, "/h2/sse", "example.test");
            c.get(3, "/h2/sse", "example.test");
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-sse") == 2, "both subscribed");
            pushpin.publisher().stream("h2-sse", "data: hello\n\n");
            readUntilBody(c, 1, "data: hello\n\n");
            readUntilBody(c, 3, "data: hello\n\n");
            assertThat(c.body(1)).isEqualTo("event: open\n\ndata: hello\n\n");
            pushpin.publisher().stream("h2-sse", "data: again\n\n");
            readUntilBody(c, 1, "data: again\n\n");
            readUntilBody(c, 3, "data: again\n\n");
            pushpin.publisher().closeStreams("h2-sse");
            int ended = 0;
            while (ended < 2) {
                H2Client.Frame f = c.read();
                if (f.type() == Http2FrameTypes.DATA && f.endStream()) {
                    ended++;
                }
            }
            assertThat(c.body(3)).isEqualTo("event: open\n\ndata: hello\n\ndata: again\n\n");
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-sse") == 0, "unsubscribed");
            // the connection takes the next request
            origin.on("/h2/after", Reply.ok("after"));
            c.get(5, "/h2/after", "example.test");
            readUntilEnd(c, 5);
            assertThat(c.body(5)).isEqualTo("after");
        }
    }

    @Test
    void longPollAnsweredByAPublish() throws Exception {
        origin.on("/h2/poll", Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "response")
                .header("Grip-Channel", "h2-poll").body("timeout\n"));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.get(1, "/h2/poll", "example.test");
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-poll") == 1, "subscribed");
            pushpin.publisher().publish(org.pushpin.testing.Publish.item("h2-poll").response("published\n"));
            H2Client.Frame head = c.readUntil(f -> f.type() == Http2FrameTypes.HEADERS && f.stream() == 1);
            assertThat(head.headers().status().toString()).isEqualTo("200");
            readUntilEnd(c, 1);
            assertThat(c.body(1)).isEqualTo("published\n");
        }
    }

    @Test
    void resetStreamEndsItsHold() throws Exception {
        origin.on("/h2/reset", stream("h2-reset", "open\n"));
        origin.on("/h2/ok", Reply.ok("still here"));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.get(1, "/h2/reset", "example.test");
            c.get(3, "/h2/reset", "example.test");
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-reset") == 2, "subscribed");
            c.rst(1);
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-reset") == 1, "stream 1 let go");
            c.rst(3);
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-reset") == 0, "stream 3 let go");
            c.get(5, "/h2/ok", "example.test");
            readUntilEnd(c, 5);
            assertThat(c.body(5)).isEqualTo("still here");
        }
    }

    static void readUntilBody(H2Client c, int stream, String suffix) throws IOException {
        while (!c.body(stream).endsWith(suffix)) {
            c.read();
        }
    }

    static void readUntilEnd(H2Client c, int stream) throws IOException {
        c.readUntil(f -> f.stream() == stream && f.endStream());
    }
}
