package org.pushpin.it.cluster;

import static org.pushpin.it.cluster.ClusterClients.WAIT;
import static org.pushpin.it.cluster.ClusterClients.content;
import static org.pushpin.it.cluster.ClusterClients.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RedisServer;

/**
 * {@code redis_sharded=true}: the same channel space over Redis 7's sharded pub/sub (SPUBLISH/SSUBSCRIBE, what a
 * Redis Cluster needs), including a Redis restart, after which the instances subscribe again themselves (the client
 * library does not resubscribe sharded channels).
 */
@Timeout(120)
class RedisShardedTest {

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
                .set("cluster", "redis_sharded", "true")
                .routes("* test")
                .build();
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference has no Redis broker");
    }



    @Test
    void shardedPubSubCarriesPublishesAcrossInstancesAndSurvivesARestart() throws Exception {
        String ch = "sharded-" + System.nanoTime();
        try (HeldStream sa = hold(a, ch); HeldStream sb = hold(b, ch)) {
            a.publisher().publish(content(ch, "one\n"));
            sb.awaitText("one\n", WAIT);
            sa.awaitText("one\n", WAIT);

            redis.stop();
            Await.until(WAIT, () -> b.publisher().send(content(ch, "refused\n")).statusCode() == 503,
                    () -> "no 503 while Redis is down");
            redis.start();
            AtomicInteger n = new AtomicInteger();
            Await.until(WAIT, () -> {
                b.publisher().send(content(ch, "back-" + n.incrementAndGet() + "\n"));
                return sa.text().contains("back-");
            }, () -> "no delivery on a sharded channel after Redis came back; a got " + sa.text());
            assertThat(sa.text()).doesNotContain("refused");
        }
    }
}
