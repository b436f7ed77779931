package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.metrics.ServerMetrics.Drop;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Publishing past {@code message_hwm} as a publisher sees it (docs/publishing.md#drop-reports): with
 * {@code ?report=drops} the answer says, item by item, how many deliveries were dropped and why, and the counts
 * are those of {@code pushpin_dropped_total}; without it the answer is 1.36's {@code Published}, the drops still
 * counted. {@code message_hwm=1} with more streams than event loops: some loop holds two of them, so every item
 * loses at least one delivery, whatever the timing.
 */
@Timeout(30)
class PublishDropReportTest {
    private static final int STREAMS = Runtime.getRuntime().availableProcessors() + 2;
    private static final int BURST = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .handler("message_hwm", "1")
            .handler("id_cache_ttl", "60")
            .build();

    /** {@link #STREAMS} streams held on {@code ch}, each subscribed (its initial body is out only after that). */
    private static List<HeldStream> hold(String ch) throws Exception {
        origin.on("/" + ch, stream("init\n", ch));
        List<HeldStream> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/" + ch));
            streams.add(s);
            s.awaitExactly("init\n", WAIT);
        }
        assertThat(pushpin.server().hub().subscriberCount(ch)).isEqualTo(STREAMS);
        return streams;
    }

    private static String burst(String ch) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            items.add(Publish.item(ch).stream("m" + i + "\n").json());
        }
        return "{\"items\": [" + String.join(", ", items) + "]}";
    }

    /** Published lines the streams received, all together. */
    private static int received(List<HeldStream> streams) {
        int n = 0;
        for (HeldStream s : streams) {
            n += s.text().split("\n", -1).length - 2; // minus "init" and the empty tail
        }
        return n;
    }

    private static void closeAll(List<HeldStream> streams) throws Exception {
        for (HeldStream s : streams) {
            s.close();
        }
    }

    @Test
    void aBurstPastTheHighWaterMarkIsReportedItemByItemAndMatchesTheMetric() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "drop reports are ours");
        String ch = channel("report");
        List<HeldStream> streams = hold(ch);
        try {
            ServerMetrics m = pushpin.server().metrics();
            long droppedBefore = m.dropped(Drop.MESSAGE_HWM);
            long deliveredBefore = m.deliveries();

            HttpResponse<String> r = pushpin.publisher().post("/publish?report=drops", burst(ch));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode report = JSON.readTree(r.body());
            assertThat(report.get("message").asText()).isEqualTo("Published");
            assertThat(report.get("items")).hasSize(BURST);
            long sum = 0;
            for (JsonNode item : report.get("items")) {
                assertThat(item.get("receivers").asInt()).isEqualTo(STREAMS);
                long hwm = item.get("dropped").path("message_hwm").asLong();
                assertThat(hwm).as("some loop holds two streams: every item loses one").isPositive();
                sum += hwm;
            }
            assertThat(report.get("dropped").asLong()).isEqualTo(sum);
            assertThat(report.get("discarded").asInt()).isZero();
            // The answer comes once every delivery ran or was dropped: the counters are final already.
            assertThat(m.dropped(Drop.MESSAGE_HWM) - droppedBefore).isEqualTo(sum);
            long delivered = (long) BURST * STREAMS - sum;
            assertThat(m.deliveries() - deliveredBefore).isEqualTo(delivered);
            Await.until(WAIT, () -> received(streams) == delivered,
                    () -> "the streams got " + received(streams) + " lines, " + delivered + " expected");
        } finally {
            closeAll(streams);
        }
    }

    @Test
    void withoutTheOptInTheAnswerIsUnchangedAndTheDropsAreStillCounted() throws Exception {
        String ch = channel("plain");
        List<HeldStream> streams = hold(ch);
        try {
            ServerMetrics m = pushpin.server().metrics();
            long droppedBefore = m.dropped(Drop.MESSAGE_HWM);
            long deliveredBefore = m.deliveries();

            HttpResponse<String> r = pushpin.publisher().post("/publish", burst(ch));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(r.body()).isEqualTo("Published\n");
            // every delivery is made or counted as dropped
            Await.until(WAIT, () -> m.deliveries() - deliveredBefore + m.dropped(Drop.MESSAGE_HWM) - droppedBefore
                    == (long) BURST * STREAMS, "deliveries and drops add up to the burst");
            assertThat(m.dropped(Drop.MESSAGE_HWM)).isGreaterThan(droppedBefore);
            long delivered = m.deliveries() - deliveredBefore;
            Await.until(WAIT, () -> received(streams) == delivered, "the streams got what was delivered");
        } finally {
            closeAll(streams);
        }
    }

    @Test
    void anItemDiscardedAsADuplicateIsReportedAsSuch() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "drop reports are ours");
        String ch = channel("dup");
        String twice = "{\"items\": [" + Publish.item(ch).id("x").stream("a\n").json() + ", "
                + Publish.item(ch).id("x").stream("b\n").json() + "]}";

        HttpResponse<String> r = pushpin.publisher().post("/publish/?report=drops", twice);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(r.body()).get("items");
        assertThat(items.get(0).has("discarded")).isFalse();
        assertThat(items.get(1).get("discarded").asText()).isEqualTo("duplicate_id");
        assertThat(items.get(1).get("receivers").asInt()).isZero();
        assertThat(JSON.readTree(r.body()).get("discarded").asInt()).isEqualTo(1);
    }

    @Test
    void anUnknownQueryIsRefusedAndPublishesNothing() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 answers 404 to any query");
        long received = pushpin.server().metrics().itemsReceived();

        HttpResponse<String> r = pushpin.publisher().post("/publish?report=all", burst(channel("bad")));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("report=drops");
        assertThat(pushpin.server().metrics().itemsReceived()).isEqualTo(received);
    }
}
