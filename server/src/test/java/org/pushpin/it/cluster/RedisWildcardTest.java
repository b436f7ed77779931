package org.pushpin.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.cluster.ClusterClients.WAIT;
import static org.pushpin.it.cluster.ClusterClients.content;
import static org.pushpin.it.cluster.ClusterClients.hold;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RedisServer;

/**
 * Wildcard subscriptions through a real Redis ({@code [handler] wildcard_channels=true}, {@code [cluster]
 * broker=redis}; docs/wildcard-channels.md): two instances on one redis-server; a stream on B subscribed to
 * {@code <room>.*} (a PSUBSCRIBE) gets what is published to the room's channels through A, once, also when B holds
 * the exact channel too (SUBSCRIBE and PSUBSCRIBE both match) or two overlapping patterns.
 */
@Timeout(120)
class RedisWildcardTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @RegisterExtension
    @Order(1)
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension a = instance().build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension b = instance().build();

    private static PushpinServerExtension.Builder instance() {
        return PushpinServerExtension.builder()
                .controlApi()
                .handler("wildcard_channels", "true")
                .set("cluster", "broker", "redis")
                .set("cluster", "redis_url", redis.url())
                // glob characters in the prefix must be escaped in the PSUBSCRIBE pattern
                .set("cluster", "redis_prefix", "it[*]:")
                .routes("* test");
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference has no Redis broker");
    }

    private static String room() {
        return "room" + ROOMS.incrementAndGet() + "-" + System.nanoTime() + ".";
    }

    @Test
    void aPatternOnBGetsWhatIsPublishedToItsChannelsThroughA() throws Exception {
        String room = room();
        try (HeldStream s = hold(b, room + "*")) {
            a.publisher().publish(content(room + "x", "x\n"));
            a.publisher().publish(content("not" + room + "x", "other\n"));
            a.publisher().publish(content(room + "y", "y\n"));
            s.awaitText("y\n", WAIT);
            assertThat(s.text()).isEqualTo("[stream opened]\nx\ny\n");
        }
    }

    @Test
    void aPublishMatchingExactAndPatternSubscriptionsOnBArrivesOnceAtEach() throws Exception {
        String room = room();
        try (HeldStream pattern = hold(b, room + "*");
             HeldStream narrower = hold(b, room + "x*");
             HeldStream exact = hold(b, room + "x");
             HeldStream everything = hold(b, "*")) {
            for (int i = 1; i <= 3; i++) {
                a.publisher().publish(content(room + "x", "x" + i + "\n"));
            }
            a.publisher().publish(content(room + "end", "end\n"));
            pattern.awaitText("end\n", WAIT);
            everything.awaitText("end\n", WAIT);
            exact.awaitText("x3\n", WAIT);
            narrower.awaitText("x3\n", WAIT);
            assertThat(pattern.text()).isEqualTo("[stream opened]\nx1\nx2\nx3\nend\n");
            assertThat(everything.text()).endsWith("x1\nx2\nx3\nend\n");
            assertThat(exact.text()).isEqualTo("[stream opened]\nx1\nx2\nx3\n");
            assertThat(narrower.text()).isEqualTo("[stream opened]\nx1\nx2\nx3\n");
        }
    }
}
