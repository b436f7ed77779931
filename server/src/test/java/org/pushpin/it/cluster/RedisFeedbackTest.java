package org.pushpin.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.cluster.ClusterClients.WAIT;
import static org.pushpin.it.cluster.ClusterClients.content;
import static org.pushpin.it.cluster.ClusterClients.hold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.FeedbackCounts;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RedisServer;

/**
 * Delivery feedback across instances (docs/delivery-feedback.md): two instances on one real Redis, subscribers on
 * both; a publish with {@code ?feedback=1} to either answers with both instances' counts summed. A subscriber of
 * the channel at Redis that never answers (as an instance that is stuck would) makes the answer come after
 * {@code feedback_timeout} with {@code complete:false} and the counts of those that answered.
 */
@Timeout(60)
class RedisFeedbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension a = instance();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension b = instance();

    private static PushpinServerExtension instance() {
        return PushpinServerExtension.builder()
                .controlApi()
                .set("cluster", "broker", "redis")
                .set("cluster", "redis_url", redis.url())
                .set("cluster", "redis_prefix", "fb:")
                .routes("* test")
                .build();
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference has no Redis broker");
    }

    private static JsonNode feedback(PushpinServerExtension on, String query, Publish.Item... items)
            throws Exception {
        StringBuilder body = new StringBuilder("{\"items\": [");
        for (int i = 0; i < items.length; i++) {
            body.append(i == 0 ? "" : ", ").append(items[i].json());
        }
        HttpResponse<String> r = on.publisher().post("/publish/?" + query, body.append("]}").toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void countsFromEveryInstanceAreSummed() throws Exception {
        String ch = "fb-" + System.nanoTime();
        long aBefore = a.server().metrics().feedback().count(FeedbackCounts.Outcome.DELIVERED);
        try (HeldStream a1 = hold(a, ch); HeldStream a2 = hold(a, ch); HeldStream b1 = hold(b, ch)) {
            JsonNode answer = feedback(b, "feedback=1", content(ch, "one\n").id("one"),
                    Publish.item(ch).response("for long-polls only\n"));

            assertThat(answer.get("instances").asInt()).isEqualTo(2);
            assertThat(answer.get("complete").asBoolean()).isTrue();
            JsonNode first = answer.get("items").get(0);
            assertThat(first.get("id").asText()).isEqualTo("one");
            assertThat(first.get("receivers").asInt()).isEqualTo(3);
            assertThat(first.get("delivered").asInt()).isEqualTo(3);
            assertThat(first.get("filtered").asInt()).isZero();
            assertThat(first.get("complete").asBoolean()).isTrue();
            JsonNode second = answer.get("items").get(1);
            assertThat(second.get("receivers").asInt()).isEqualTo(3);
            assertThat(second.get("delivered").asInt()).isZero();
            assertThat(second.get("filtered").asInt()).as("streams take no http-response").isEqualTo(3);
            for (HeldStream s : new HeldStream[] {a1, a2, b1}) {
                s.awaitText("one\n", WAIT);
            }
            // each instance counts its own deliveries in its metrics
            assertThat(a.server().metrics().feedback().count(FeedbackCounts.Outcome.DELIVERED) - aBefore)
                    .isEqualTo(2);
        }
    }

    @Test
    void aPublishOfNoItemsIsAnsweredAtOnce() throws Exception {
        long start = System.nanoTime();
        JsonNode answer = feedback(a, "feedback=1&feedback_timeout=20000");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no wait for answers").isLessThan(10_000);
        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(answer.get("items")).isEmpty();
    }

    @Test
    void anInstanceThatDoesNotAnswerInTimeMakesTheAnswerIncomplete() throws Exception {
        String ch = "fb-stuck-" + System.nanoTime();
        try (HeldStream a1 = hold(a, ch); HeldStream b1 = hold(b, ch); Socket stuck = new Socket("127.0.0.1",
                redis.port())) {
            // a third subscriber of the channel at Redis, which never answers
            stuck.getOutputStream().write(("SUBSCRIBE fb:" + ch + "\r\n").getBytes(StandardCharsets.US_ASCII));
            readUntil(stuck.getInputStream(), ":1\r\n");
            long start = System.nanoTime();

            JsonNode answer = feedback(a, "feedback=1&feedback_timeout=500", content(ch, "two\n"));

            assertThat((System.nanoTime() - start) / 1_000_000).as("answered after the wait").isGreaterThanOrEqualTo(
                    450);
            assertThat(answer.get("complete").asBoolean()).isFalse();
            assertThat(answer.get("instances").asInt()).as("PUBLISH reached three subscribers").isEqualTo(3);
            JsonNode item = answer.get("items").get(0);
            assertThat(item.get("complete").asBoolean()).isFalse();
            assertThat(item.get("delivered").asInt()).as("the two instances that answered").isEqualTo(2);
            a1.awaitText("two\n", WAIT);
            b1.awaitText("two\n", WAIT);
        }
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[256];
        while (!seen.toString().contains(marker)) {
            int r = in.read(buf);
            assertThat(r).isPositive();
            seen.append(new String(buf, 0, r, StandardCharsets.ISO_8859_1));
        }
    }
}
