package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.assertNoGripHeaders;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.publishUntilAnswered;
import static org.pushpin.it.holds.Holds.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Response holds (long-polling) as the client sees them (docs/grip.md#response-hold): silence until a publish or the
 * timeout, {@code http-response} merged over the origin's hold response, {@code body-patch}, client disconnects.
 */
@Timeout(30)
class ResponseHoldTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .build();

    private static RawClient poll(String path) throws Exception {
        RawClient c = RawClient.connect(pushpin.httpPort());
        c.send(Req.get(path));
        return c;
    }

    @Test
    void nothingIsSentUntilAPublish() throws Exception {
        String ch = channel("lp");
        origin.on("/lp", response(ch, "timed out\n").header("X-Origin", "kept"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll("/lp")) {
            origin.awaitRequest("/lp");
            assertThat(c.outcome(Duration.ofMillis(1500))).isInstanceOf(RawClient.Silent.class);

            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(ch).response("published\n"));

            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.reason()).isEqualTo("OK");
            assertThat(resp.bodyText()).isEqualTo("published\n");
            assertThat(resp.header("Content-Length")).hasValue("10");
            assertThat(resp.header("X-Origin")).as("the origin's hold headers are kept").hasValue("kept");
            assertThat(resp.header("Content-Type")).hasValue("text/plain");
            assertNoGripHeaders(resp);

            // the connection stays usable for the next request
            RawResponse next = c.exchange(Req.get("/plain"));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("origin GET /plain");
        }
    }

    @Test
    void publishedStatusReasonAndHeadersAreMergedOverTheOriginsResponse() throws Exception {
        String ch = channel("merge");
        origin.on("/merge", response(ch, "origin body\n").header("X-A", "origin").header("X-B", "origin"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll("/merge")) {
            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(ch).responseJson(
                    "{\"code\": 404, \"reason\": \"Gone Fishing\", \"headers\": {\"X-B\": \"published\", "
                            + "\"X-C\": \"new\", \"Content-Type\": \"application/x-published\"}, \"body\": \"nope\\n\"}"));

            assertThat(resp.status()).isEqualTo(404);
            assertThat(resp.reason()).isEqualTo("Gone Fishing");
            assertThat(resp.headers("X-A")).containsExactly("origin");
            assertThat(resp.headers("X-B")).containsExactly("published");
            assertThat(resp.headers("X-C")).containsExactly("new");
            assertThat(resp.headers("Content-Type")).containsExactly("application/x-published");
            assertThat(resp.bodyText()).isEqualTo("nope\n");
            assertNoGripHeaders(resp);
        }
    }

    @Test
    void publishedCodeWithoutReasonTakesTheStandardReason() throws Exception {
        String ch = channel("code");
        origin.on("/code", response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll("/code")) {
            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(ch).responseJson(
                    "{\"code\": 201, \"body-bin\": \"bWFkZQo=\"}"));

            assertThat(resp.status()).isEqualTo(201);
            assertThat(resp.reason()).isEqualTo("Created");
            assertThat(resp.bodyText()).isEqualTo("made\n");
        }
    }

    @Test
    void theOriginsResponseIsSentAtTheTimeoutOfAtLeastFiveSeconds() throws Exception {
        String ch5 = channel("timeout-5");
        String ch1 = channel("timeout-1");
        origin.on("/timeout-5", response(ch5, "timed out\n").header("Grip-Timeout", "5").header("X-Origin", "o"));
        origin.on("/timeout-1", response(ch1, "clamped\n").header("Grip-Timeout", "1"));

        long start = System.nanoTime();
        try (RawClient five = poll("/timeout-5"); RawClient one = poll("/timeout-1")) {
            assertThat(five.outcome(Duration.ofMillis(4300))).isInstanceOf(RawClient.Silent.class);
            assertThat(one.outcome(Duration.ofMillis(10))).as("1 s is raised to 5 s")
                    .isInstanceOf(RawClient.Silent.class);

            RawResponse a = five.timeout(Duration.ofSeconds(4)).read();
            RawResponse b = one.timeout(Duration.ofSeconds(4)).read();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(a.status()).isEqualTo(200);
            assertThat(a.bodyText()).isEqualTo("timed out\n");
            assertThat(a.header("X-Origin")).hasValue("o");
            assertThat(a.header("Content-Length")).hasValue("10");
            assertNoGripHeaders(a);
            assertThat(b.bodyText()).isEqualTo("clamped\n");
            assertThat(seconds).isBetween(4.3, 7.5);
        }
    }

    @Test
    void bodyPatchIsAppliedToTheOriginsJsonBody() throws Exception {
        String ch = channel("patch");
        origin.on("/patch", response(ch, "{\"a\": 1, \"list\": [1], \"gone\": true}\n",
                "application/json"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll("/patch")) {
            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(ch).responseJson(
                    "{\"body-patch\": [{\"op\": \"replace\", \"path\": \"/a\", \"value\": 2}, "
                            + "{\"op\": \"add\", \"path\": \"/list/-\", \"value\": 2}, "
                            + "{\"op\": \"remove\", \"path\": \"/gone\"}]}"));

            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.headers("Content-Type")).containsExactly("application/json");
            assertThat(resp.bodyText()).endsWith("\n");
            ObjectMapper json = new ObjectMapper();
            assertThat(json.readTree(resp.bodyText())).isEqualTo(json.readTree("{\"a\": 2, \"list\": [1, 2]}"));
            assertThat(resp.header("Content-Length")).hasValue(Integer.toString(resp.body().length));
        }
    }

    @Test
    void streamContentDoesNotAnswerALongPoll() throws Exception {
        String ch = channel("lp-fmt");
        origin.on("/lp-fmt", response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll("/lp-fmt")) {
            origin.awaitRequest("/lp-fmt");
            // Stream-only items and then a response item, in one publish: per-channel order means that, had a
            // stream item answered the long-poll, it would have done so before the response item could.
            Publish.Item[] items = new Publish.Item[6];
            for (int i = 0; i < 5; i++) {
                items[i] = Publish.item(ch).stream("stream only\n");
            }
            items[5] = Publish.item(ch).response("response\n");
            RawResponse resp = publishUntilAnswered(pub, c, items);
            assertThat(resp.bodyText()).isEqualTo("response\n");
        }
    }

    @Test
    void everyLongPollOnTheChannelIsAnswered() throws Exception {
        String ch = channel("lp-many");
        origin.on("/lp-many", response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        try (RawClient a = poll("/lp-many"); RawClient b = poll("/lp-many"); RawClient c = poll("/lp-many")) {
            RawResponse first = publishUntilAnswered(pub, a, Publish.item(ch).response("all\n"));
            assertThat(first.bodyText()).isEqualTo("all\n");
            // b and c get the same answer. A publish can pass them while they are being retried (the ~1 s retry
            // after the channel's first subscription re-asks the origin, in 1.36 too), so publish until answered.
            for (RawClient other : new RawClient[] {b, c}) {
                RawResponse r = publishUntilAnswered(pub, other, Publish.item(ch).response("all\n"));
                assertThat(r.bodyText()).isEqualTo("all\n");
            }
        }
    }

    @Test
    void clientGoneBeforeThePublishDisturbsNothing() throws Exception {
        String ch = channel("gone");
        origin.on("/gone", response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        RawClient early = poll("/gone");
        origin.awaitRequest("/gone");
        assertThat(early.outcome(Duration.ofMillis(300))).isInstanceOf(RawClient.Silent.class);
        early.close();
        // Time for the server to see the close before the publish; nothing a client can observe marks that moment.
        Thread.sleep(200);
        pub.publish(Publish.item(ch).response("to nobody\n"));

        try (RawClient late = poll("/gone")) {
            RawResponse resp = publishUntilAnswered(pub, late, Publish.item(ch).response("to late\n"));
            assertThat(resp.bodyText()).isEqualTo("to late\n");
        }
        RawResponse plain = RawClient.exchange(pushpin.httpPort(), Req.get("/plain"));
        assertThat(plain.status()).isEqualTo(200);
    }

    @Test
    void http10LongPollGetsALengthDelimitedAnswer() throws Exception {
        String ch = channel("lp10");
        origin.on("/lp10", response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/lp10").http10());
            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(ch).response("one-oh\n"));
            assertThat(resp.version()).isEqualTo("HTTP/1.0");
            assertThat(resp.bodyText()).isEqualTo("one-oh\n");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }
}
