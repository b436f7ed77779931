package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.FeedbackCounts;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Delivery feedback on one instance (docs/delivery-feedback.md), as a publisher sees it over the control API:
 * {@code POST /publish?feedback=1} answers, item by item, how many subscribers got the item, how many it was
 * filtered out for (a GRIP filter, a format they do not take) and how many it was dropped for (a client that does
 * not read), with the same counts in the metrics; a malformed query is refused with a 400 that says why.
 */
@Timeout(60)
class DeliveryFeedbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int METRICS = PushpinServerExtension.freeLocalPort();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .handler("prometheus_port", "127.0.0.1:" + METRICS)
            .build();

    /** {@code pushpin_feedback_deliveries_total{outcome=...}} as the Prometheus endpoint serves it now. */
    private static double scraped(String outcome) throws Exception {
        try (RawClient c = RawClient.connect(METRICS)) {
            String prefix = "pushpin_feedback_deliveries_total{outcome=\"" + outcome + "\"} ";
            for (String line : c.exchange(Req.get("/metrics")).bodyText().split("\n")) {
                if (line.startsWith(prefix)) {
                    return Double.parseDouble(line.substring(prefix.length()));
                }
            }
        }
        throw new AssertionError("no " + outcome + " feedback count in the metrics");
    }

    @BeforeEach
    void oursOnly() {
        assumeFalse(PushpinServerExtension.againstReference(), "delivery feedback is ours");
    }

    private static Reply sse(String... channels) {
        Reply r = Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream");
        for (String c : channels) {
            r.header("Grip-Channel", c);
        }
        return r.body("event: open\ndata: init\n\n");
    }

    private static List<HeldStream> sseStreams(String path, int n) throws Exception {
        List<HeldStream> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get(path));
            s.awaitText("data: init\n\n", WAIT);
            streams.add(s);
        }
        return streams;
    }

    private static JsonNode feedback(String query, String body) throws Exception {
        HttpResponse<String> r = pushpin.publisher().post("/publish/?" + query, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private static String items(List<String> items) {
        return "{\"items\": [" + String.join(", ", items) + "]}";
    }

    @Test
    void threeStreamsALongPollAndASlowClientAreCountedExactly() throws Exception {
        String ch = channel("feedback");
        origin.on("/sse-" + ch, sse(ch));
        origin.on("/poll-" + ch, response(ch, "timeout\n"));
        List<HeldStream> streams = sseStreams("/sse-" + ch, 3);
        // The slow client: a stream that reads its first answer and then nothing, with a small receive window.
        try (Socket slow = new Socket(); RawClient poll = RawClient.connect(pushpin.httpPort())) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", pushpin.httpPort()));
            slow.getOutputStream().write(("GET /sse-" + ch + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            readUntil(slow.getInputStream(), "data: init");
            poll.send(Req.get("/poll-" + ch));
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount(ch) == 5, "5 subscribers");
            FeedbackCounts metrics = pushpin.server().metrics().feedback();
            long deliveredBefore = metrics.count(FeedbackCounts.Outcome.DELIVERED);
            long slowBefore = metrics.count(FeedbackCounts.Outcome.SLOW_CLIENT);

            // Items of 512 KiB, stream format only, one publish each, until the slow client has over 1 MiB
            // waiting and is dropped (the kernel buffers take 4 MiB at most here: by the 10th item at the latest).
            String big = "x".repeat(512 * 1024);
            long delivered = 0;
            int n = 0;
            boolean droppedYet = false;
            while (!droppedYet) {
                assertThat(n).as("the slow client was never dropped").isLessThan(24);
                JsonNode answer = feedback("feedback=1", items(List.of(
                        Publish.item(ch).id("i" + n).stream("data: " + big + "\n\n").json())));
                assertThat(answer.get("message").asText()).isEqualTo("Published");
                assertThat(answer.get("instances").asInt()).isEqualTo(1);
                assertThat(answer.get("complete").asBoolean()).isTrue();
                assertThat(answer.get("items")).hasSize(1);
                JsonNode item = answer.get("items").get(0);
                assertThat(item.get("id").asText()).isEqualTo("i" + n);
                assertThat(item.get("channel").asText()).isEqualTo(ch);
                assertThat(item.get("complete").asBoolean()).isTrue();
                assertThat(item.get("receivers").asInt()).isEqualTo(5);
                assertThat(item.get("filtered").asInt()).as("the long-poll takes no http-stream").isEqualTo(1);
                assertThat(item.get("deferred").asInt()).isZero();
                droppedYet = item.get("dropped").path("slow_client").asInt() == 1;
                assertThat(item.get("delivered").asInt()).as("item %d", n).isEqualTo(droppedYet ? 3 : 4);
                assertThat(item.get("dropped").size()).isEqualTo(droppedYet ? 1 : 0);
                delivered += item.get("delivered").asInt();
                n++;
            }
            assertThat(n).as("the first items fit its kernel buffers").isGreaterThan(1);
            assertThat(metrics.count(FeedbackCounts.Outcome.DELIVERED) - deliveredBefore).isEqualTo(delivered);
            assertThat(metrics.count(FeedbackCounts.Outcome.SLOW_CLIENT) - slowBefore).isEqualTo(1);

            // The slow client is gone: the next item reaches the three streams, the long-poll filtered out.
            JsonNode after = feedback("feedback=1", items(List.of(Publish.item(ch).stream("data: end\n\n").json())))
                    .get("items").get(0);
            assertThat(after.get("receivers").asInt()).isEqualTo(4);
            assertThat(after.get("delivered").asInt()).isEqualTo(3);
            assertThat(after.get("filtered").asInt()).isEqualTo(1);
            for (HeldStream s : streams) {
                s.awaitText("data: end\n\n", WAIT);
            }
        } finally {
            for (HeldStream s : streams) {
                s.close();
            }
        }
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[256];
        while (!seen.toString().contains(marker)) {
            int r = in.read(buf);
            assertThat(r).as("the slow client's stream ended").isPositive();
            seen.append(new String(buf, 0, r, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void skipSelfFiltersTheSendersOwnStream() throws Exception {
        String ch = channel("self");
        origin.on("/alice-" + ch, sse(ch + "; filter=skip-self").header("Grip-Set-Meta", "user=alice"));
        origin.on("/bob-" + ch, sse(ch + "; filter=skip-self").header("Grip-Set-Meta", "user=bob"));
        List<HeldStream> alice = sseStreams("/alice-" + ch, 2);
        List<HeldStream> bob = sseStreams("/bob-" + ch, 1);
        try {
            double filteredBefore = scraped("filtered");
            double deliveredBefore = scraped("delivered");
            JsonNode answer = feedback("feedback=1&feedback_timeout=2000",
                    items(List.of(Publish.item(ch).meta("sender", "alice").stream("data: hi\n\n").json())));

            JsonNode item = answer.get("items").get(0);
            assertThat(item.get("receivers").asInt()).isEqualTo(3);
            assertThat(item.get("delivered").asInt()).isEqualTo(1);
            assertThat(item.get("filtered").asInt()).isEqualTo(2);
            assertThat(item.get("dropped").size()).isZero();
            assertThat(item.has("id")).isFalse();
            assertThat(scraped("filtered") - filteredBefore).as("the metrics count what the answer said").isEqualTo(2);
            assertThat(scraped("delivered") - deliveredBefore).isEqualTo(1);
            bob.get(0).awaitText("data: hi\n\n", WAIT);
            assertThat(alice.get(0).text()).doesNotContain("hi");
        } finally {
            for (HeldStream s : alice) {
                s.close();
            }
            bob.get(0).close();
        }
    }

    @Test
    void aFormatTheSubscribersDoNotTakeFiltersThemAndNobodyIsCountedTwice() throws Exception {
        String ch = channel("format");
        origin.on("/sse-" + ch, sse(ch));
        List<HeldStream> streams = sseStreams("/sse-" + ch, 2);
        try {
            JsonNode answer = feedback("feedback=true", items(List.of(
                    Publish.item(ch).response("only for long-polls\n").json(),
                    Publish.item(channel("nobody")).stream("data: x\n\n").json())));

            JsonNode first = answer.get("items").get(0);
            assertThat(first.get("receivers").asInt()).isEqualTo(2);
            assertThat(first.get("delivered").asInt()).isZero();
            assertThat(first.get("filtered").asInt()).isEqualTo(2);
            JsonNode second = answer.get("items").get(1);
            assertThat(second.get("receivers").asInt()).isZero();
            assertThat(second.get("delivered").asInt()).isZero();
            assertThat(answer.get("complete").asBoolean()).isTrue();
        } finally {
            for (HeldStream s : streams) {
                s.close();
            }
        }
    }

    @Test
    void aMalformedQueryIsRefusedWithAClearTextAndPublishesNothing() throws Exception {
        String body = items(List.of(Publish.item(channel("bad")).stream("x\n").json()));
        long received = pushpin.server().metrics().itemsReceived();
        String[][] cases = {
                {"feedback=yes", "feedback must be 1 (or true), not 'yes'."},
                {"feedback=1&feedback_timeout=abc", "feedback_timeout must be a whole number of milliseconds from 1 "
                        + "to 30000, not 'abc'."},
                {"feedback=1&feedback_timeout=0", "not '0'"},
                {"feedback=1&feedback_timeout=30001", "not '30001'"},
                {"feedback_timeout=100", "feedback_timeout is only taken with feedback=1."},
                {"feedback=1&report=drops", "cannot be asked together"},
                {"feedback=1&feedback=1", "Query parameter 'feedback' given twice."},
                {"feedback=1&x=2", "Unknown query parameter 'x'"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = pushpin.publisher().post("/publish?" + c[0], body);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains(c[1]);
        }
        assertThat(pushpin.server().metrics().itemsReceived()).isEqualTo(received);
    }
}
