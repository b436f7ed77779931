package org.pushpin.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.RedisServer;
import org.pushpin.testing.Req;

/**
 * {@code GET /health} of whole servers over real sockets (docs/publishing.md#health): one without a cluster broker
 * (always 200, {@code "broker":"none"}, live counts), one with a real Redis broker: 200 while Redis is up, 503 with a
 * reason once it is killed, 200 again once it is back. Ours only: Pushpin 1.36 has no /health.
 */
@Timeout(120)
class ControlHealthRedisTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension clustered = PushpinServerExtension.builder()
            .controlApi()
            .set("cluster", "broker", "redis")
            .set("cluster", "redis_url", redis.url())
            .set("cluster", "redis_prefix", "health:")
            .routes("* test")
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension single = PushpinServerExtension.builder()
            .controlApi()
            .routes("* test")
            .build();

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "Pushpin 1.36 has no /health");
    }

    private static RawResponse health(PushpinServerExtension on, Req req) throws Exception {
        try (RawClient c = RawClient.connect(on.controlAddress())) {
            return c.exchange(req);
        }
    }

    private static JsonNode body(RawResponse r) throws Exception {
        return JSON.readTree(r.bodyText());
    }

    @Test
    void withoutABrokerItIsOkAndCountsHeldConnections() throws Exception {
        RawResponse r = health(single, Req.get("/health"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).contains("application/json");
        JsonNode b = body(r);
        assertThat(b.get("status").asText()).isEqualTo("ok");
        assertThat(b.get("broker").asText()).isEqualTo("none");
        assertThat(b.has("reason")).isFalse();
        try (HeldStream s = HeldStream.open(single.httpPort(), Req.get("/stream?channel=health"))) {
            s.awaitText("[stream opened]\n", WAIT);
            Await.until(WAIT, () -> {
                JsonNode now = body(health(single, Req.get("/health")));
                return now.get("held").asLong() >= 1 && now.get("connections").asLong() >= 1
                        && now.get("subscriptions").asLong() >= 1;
            }, "the held stream is not counted by /health");
        }
    }

    @Test
    void headAndOtherMethods() throws Exception {
        try (RawClient c = RawClient.connect(single.controlAddress())) {
            RawResponse head = c.exchange(Req.head("/health"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).contains("application/json");
            assertThat(Integer.parseInt(head.header("Content-Length").orElseThrow())).isPositive();
            assertThat(c.readUntilClose()).isEmpty(); // no body follows the headers
        }
        RawResponse post = health(single, Req.post("/health").body("{}"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).contains("GET, HEAD");
        assertThat(post.bodyText()).isEqualTo("Method not allowed: POST.\n");
        assertThat(health(single, Req.get("/publish")).header("Allow")).contains("POST"); // unchanged
    }

    @Test
    void unavailableWhileRedisIsDownAndOkOnceItIsBack() throws Exception {
        RawResponse up = health(clustered, Req.get("/health"));
        assertThat(up.status()).isEqualTo(200);
        assertThat(body(up).get("broker").asText()).isEqualTo("connected");
        redis.stop();
        try {
            Await.until(WAIT, () -> health(clustered, Req.get("/health")).status() == 503,
                    "/health is not 503 while Redis is down");
            RawResponse down = health(clustered, Req.get("/health"));
            assertThat(down.header("Content-Type")).contains("application/json");
            JsonNode b = body(down);
            assertThat(b.get("status").asText()).isEqualTo("unavailable");
            assertThat(b.get("reason").asText()).contains("Redis");
            assertThat(b.get("broker").asText()).isEqualTo("disconnected");
            assertThat(health(clustered, Req.head("/health")).status()).isEqualTo(503);
            // and indeed a publish is refused meanwhile
            assertThat(clustered.publisher().send(org.pushpin.testing.Publish.item("health")
                    .stream("x")).statusCode()).isEqualTo(503);
        } finally {
            redis.start();
        }
        Await.until(WAIT, () -> health(clustered, Req.get("/health")).status() == 200,
                "/health is not 200 again once Redis is back");
        assertThat(body(health(clustered, Req.get("/health"))).get("broker").asText()).isEqualTo("connected");
    }
}
