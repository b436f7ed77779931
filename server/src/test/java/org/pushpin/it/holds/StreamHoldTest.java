package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.assertNoGripHeaders;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Stream holds as the client sees them (docs/grip.md#stream-hold, docs/grip.md#grip-keep-alive): the response starts
 * at once, {@code http-stream} publishes are appended in order, {@code close} ends it, keep-alives fill idle time.
 */
@Timeout(30)
class StreamHoldTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(), "prefixed.test,prefix=pre- " + origin.target())
            .controlApi()
            .build();

    private static HeldStream open(String path) throws Exception {
        return HeldStream.open(pushpin.httpPort(), Req.get(path));
    }

    // ------------------------------------------------------------------ the response

    @Test
    void headersAndInitialBodyGoOutAtOnceChunkedWithoutGripHeaders() throws Exception {
        String ch = channel("s");
        origin.on("/s", stream("initial\n", ch).header("X-Origin", "kept"));

        try (HeldStream s = open("/s")) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.head().reason()).isEqualTo("OK");
            assertThat(s.header("X-Origin")).hasValue("kept");
            assertThat(s.header("Content-Type")).hasValue("text/plain");
            assertThat(s.hasHeader("Content-Length")).isFalse();
            assertThat(s.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
            assertNoGripHeaders(s.headers());
            s.awaitExactly("initial\n", WAIT);
            assertThat(s.ended()).as("the stream stays open").isFalse();
        }
    }

    @Test
    void publishesAreAppendedInOrderAndCloseEndsTheResponse() throws Exception {
        String ch = channel("order");
        origin.on("/order", stream("init\n", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/order")) {
            s.awaitExactly("init\n", WAIT);
            sync(pub, ch, s);
            for (int i = 1; i <= 20; i++) {
                pub.stream(ch, "message " + i + "\n");
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 20; i++) {
                expected.append("message ").append(i).append('\n');
            }
            s.awaitSinceMark(t -> t.equals(expected.toString()), WAIT);
            assertThat(s.ended()).isFalse();

            pub.closeStreams(ch);

            assertThat(s.awaitEnd(WAIT)).as("close ends the response").isTrue();
            assertThat(s.endedCleanly()).as("with the last chunk: " + s).isTrue();
            assertThat(s.sinceMark()).isEqualTo(expected.toString());
        }
    }

    @Test
    void binaryContentIsWrittenRaw() throws Exception {
        String ch = channel("bin");
        origin.on("/bin", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/bin")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).streamBin(new byte[] {'a', 0, 'b', '\r', '\n'}));
            s.awaitSinceMark(t -> t.equals("a\0b\r\n"), WAIT);
        }
    }

    @Test
    void http10StreamIsCloseDelimitedAndCloseClosesTheConnection() throws Exception {
        String ch = channel("h10");
        origin.on("/h10", stream("one-oh\n", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/h10").http10())) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.hasHeader("Content-Length")).isFalse();
            assertThat(s.hasHeader("Transfer-Encoding")).isFalse();
            assertThat(s.framing()).isEqualTo(RawResponse.Framing.CLOSE);
            s.awaitExactly("one-oh\n", WAIT);
            sync(pub, ch, s);
            pub.stream(ch, "later\n");
            s.awaitSinceMark(t -> t.equals("later\n"), WAIT);

            pub.closeStreams(ch);

            assertThat(s.awaitEnd(WAIT)).as("close closes an HTTP/1.0 stream").isTrue();
            assertThat(s.sinceMark()).isEqualTo("later\n");
        }
    }

    @Test
    void twoClientsOnOneChannelBothGetEveryPublish() throws Exception {
        String ch = channel("shared");
        origin.on("/shared", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream a = open("/shared"); HeldStream b = open("/shared")) {
            sync(pub, ch, a, b);
            pub.stream(ch, "x\n");
            pub.stream(ch, "y\n");

            a.awaitSinceMark(t -> t.equals("x\ny\n"), WAIT);
            b.awaitSinceMark(t -> t.equals("x\ny\n"), WAIT);
        }
    }

    @Test
    void channelsAreIsolated() throws Exception {
        String chA = channel("iso-a");
        String chB = channel("iso-b");
        origin.on("/iso-a", stream("", chA));
        origin.on("/iso-b", stream("", chB));
        Publish pub = pushpin.publisher();

        try (HeldStream a = open("/iso-a"); HeldStream b = open("/iso-b")) {
            sync(pub, chA, a);
            sync(pub, chB, b);
            pub.stream(chA, "for a\n");
            pub.stream(chB, "for b\n");

            a.awaitSinceMark(t -> t.equals("for a\n"), WAIT);
            b.awaitSinceMark(t -> t.equals("for b\n"), WAIT);
        }
    }

    @Test
    void oneConnectionMaySubscribeSeveralChannels() throws Exception {
        String ch1 = channel("multi-1");
        String ch2 = channel("multi-2");
        String ch3 = channel("multi-3");
        // two header instances, the second comma-separated
        origin.on("/multi", Reply.status(200).header("Grip-Hold", "stream").header("Grip-Channel", ch1)
                .header("Grip-Channel", ch2 + ", " + ch3).body(""));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/multi")) {
            sync(pub, ch1, s);
            sync(pub, ch3, s);
            pub.stream(ch2, "two\n");
            pub.stream(ch3, "three\n");
            pub.stream(ch1, "one\n");

            s.awaitSinceMark(t -> t.equals("two\nthree\none\n"), WAIT);
        }
    }

    @Test
    void theRoutePrefixIsAddedToChannelNames() throws Exception {
        String ch = channel("room");
        origin.on("/prefixed", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/prefixed").host("prefixed.test"))) {
            sync(pub, "pre-" + ch, s);
            pub.stream(ch, "unprefixed\n");
            pub.stream("pre-" + ch, "prefixed\n");

            s.awaitSinceMark(t -> t.equals("prefixed\n"), WAIT);
        }
    }

    @Test
    void serverSentEventsExample() throws Exception {
        String ch = channel("sse");
        origin.on("/events", Reply.status(200).header("Content-Type", "text/event-stream")
                .header("Grip-Hold", "stream").header("Grip-Channel", ch).body(":ok\n\n"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(),
                Req.get("/events").header("Accept", "text/event-stream"))) {
            assertThat(s.header("Content-Type")).hasValue("text/event-stream");
            s.awaitExactly(":ok\n\n", WAIT);
            sync(pub, ch, s);
            pub.stream(ch, "data: hi\n\n");
            pub.stream(ch, "event: update\ndata: {\"n\": 2}\n\n");

            s.awaitSinceMark(t -> t.equals("data: hi\n\nevent: update\ndata: {\"n\": 2}\n\n"), WAIT);
        }
    }

    @Test
    void otherFormatsAreNotWrittenToStreams() throws Exception {
        String ch = channel("fmt");
        origin.on("/fmt", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/fmt")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).response("long-poll only\n"));
            pub.publish(Publish.item(ch).format("ws-message", "{\"content\": \"ws only\"}"));
            pub.stream(ch, "stream\n");

            s.awaitSinceMark(t -> t.equals("stream\n"), WAIT);
        }
    }

    // ------------------------------------------------------------------ keep-alive

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "raw      | ka.; timeout=1                        | ka.",
            "cstring  | :\\n\\n; format=cstring; timeout=1     | ':\n\n'",
            "base64   | OmthCgo=; format=base64; timeout=1    | ':ka\n\n'",
            "default  | ping; format=raw; timeout=1; mode=idle | ping"})
    void keepAliveIsSentWhileIdle(String name, String header, String data) throws Exception {
        String ch = channel("ka-" + name);
        origin.on("/ka", stream("start\n", ch).header("Grip-Keep-Alive", header));

        try (HeldStream s = open("/ka")) {
            s.awaitText("start\n", WAIT);
            // timeout 1 s minus up to 1 s of jitter: two keep-alives within ~2 s
            s.awaitText(t -> t.startsWith("start\n" + data + data)
                    && t.substring("start\n".length()).replace(data, "").isEmpty(), Duration.ofSeconds(4));
        }
    }

    @Test
    void idleKeepAliveIsPostponedByPublishes() throws Exception {
        String ch = channel("ka-idle");
        origin.on("/ka-idle", stream("", ch).header("Grip-Keep-Alive", "KA\\n; format=cstring; timeout=2"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/ka-idle")) {
            sync(pub, ch, s);
            // A write at least every 400 ms; an idle keep-alive needs 1-2 s of silence. The pacing is the point, so
            // these are real waits: 3.2 s of it is past the latest an unpostponed keep-alive would come (2.25 s).
            for (int i = 0; i < 8; i++) {
                pub.stream(ch, "m\n");
                Thread.sleep(400);
            }
            assertThat(s.sinceMark()).doesNotContain("KA").isEqualTo("m\n".repeat(8));

            s.awaitSinceMark(t -> t.equals("m\n".repeat(8) + "KA\n"), Duration.ofSeconds(3));
        }
    }

    @Test
    void intervalKeepAliveIsSentDespitePublishes() throws Exception {
        String ch = channel("ka-interval");
        origin.on("/ka-interval", stream("", ch)
                .header("Grip-Keep-Alive", "KA\\n; format=cstring; timeout=2; mode=interval"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/ka-interval")) {
            sync(pub, ch, s);
            // A write every 400 ms, so an idle keep-alive (1-2 s of silence) never comes; the interval one must come
            // while the writes go on: it is due at most 2 s (plus a 250 ms tick) after the stream began.
            int sent = 0;
            while (sent < 8 && !s.sinceMark().contains("KA\n")) {
                pub.stream(ch, "m\n");
                sent++;
                Thread.sleep(400);
            }
            assertThat(s.sinceMark()).as("a keep-alive while publishes came every 400 ms").contains("KA\n");
            String messages = "m\n".repeat(sent);
            s.awaitSinceMark(t -> t.replace("KA\n", "").equals(messages), WAIT);
        }
    }

    @Test
    void noKeepAliveWithoutTheHeader() throws Exception {
        String ch = channel("no-ka");
        origin.on("/no-ka", stream("quiet\n", ch));

        try (HeldStream s = open("/no-ka")) {
            s.awaitExactly("quiet\n", WAIT);
            // Keep-alives are driven by time alone, so only a wait shows that none comes: 1.5 s is past the latest
            // one of the shortest timeout (1 s, plus a 250 ms tick) would have come.
            Thread.sleep(1500);
            assertThat(s.text()).isEqualTo("quiet\n");
        }
    }

    @Test
    void afterACloseTheConnectionCarriesTheNextRequest() throws Exception {
        String ch = channel("close-then-next");
        origin.on("/close-next/stream", stream("open\n", ch));
        origin.on("/close-next/plain", Reply.ok("plain\n"));
        Publish pub = pushpin.publisher();

        try (org.pushpin.testing.RawClient c = org.pushpin.testing.RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/close-next/stream"));
            java.util.concurrent.CompletableFuture<RawResponse> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return c.timeout(WAIT).read();
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!first.isDone() && System.nanoTime() < deadline) {
                pub.publish(Publish.item(ch).streamClose());
                Thread.sleep(200);
            }
            assertThat(first.get().bodyText()).isEqualTo("open\n");

            RawResponse second = c.exchange(Req.get("/close-next/plain"));
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo("plain\n");
        }
    }

    @Test
    void aPublishForOtherContentFiltersEndsTheStream() throws Exception {
        String ch = channel("content-filters");
        origin.on("/cf", stream("open\n", ch + "; filter=var-subst").header("Grip-Set-Meta", "user=al"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/cf"))) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).format("http-stream",
                    "{\"content\": \"hi %(user)s\\n\", \"content-filters\": [\"var-subst\"]}"));
            s.awaitSinceMark(t -> t.equals("hi al\n"), WAIT);
            pub.publish(Publish.item(ch).format("http-stream",
                    "{\"content\": \"other\\n\", \"content-filters\": [\"build-id\"]}"));
            assertThat(s.awaitEnd(WAIT)).as("a content-filter mismatch ends the stream: " + s).isTrue();
            assertThat(s.sinceMark()).isEqualTo("hi al\n");
        }
    }

    @Test
    void aPrevIdWithoutNextLinkEndsTheStreamAfterItsInitialBody() throws Exception {
        String ch = channel("prev-no-link");
        origin.on("/prev-no-link", stream("initial\n", ch + "; prev-id=7"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/prev-no-link"))) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.awaitEnd(WAIT)).as("a stream with prev-id and no next link ends: " + s).isTrue();
            assertThat(s.text()).isEqualTo("initial\n");
        }
    }
}
