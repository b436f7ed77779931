package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.metrics.ServerMetrics.ConnectionKind;
import org.pushpin.metrics.ServerMetrics.HoldKind;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The server's counters as a client and a publisher move them: each server instance counts on its own, held
 * connections and subscriptions go back down when clients leave, and deliveries and drops are counted.
 */
@Timeout(30)
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .handler("id_cache_ttl", "60")
            .build();

    private static void await(String what, java.util.concurrent.Callable<Boolean> c) {
        Await.until(WAIT, c, what);
    }

    @Test
    void aHeldStreamIsCountedWhileItHoldsAndItsDeliveriesAndDuplicatesAreCounted() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "our server's own counters");
        ServerMetrics m = pushpin.server().metrics();
        origin.on("/m", Reply.status(200).header("Grip-Hold", "stream").header("Grip-Channel", "metrics-a")
                .header("Grip-Channel", "metrics-b").body("hi\n"));
        long requests = m.requestsProxied();
        long delivered = m.deliveries();
        long duplicates = m.dropped(ServerMetrics.Drop.DUPLICATE_ID);
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/m"))) {
            s.awaitExactly("hi\n", WAIT);
            assertThat(m.held(HoldKind.STREAM)).isEqualTo(1);
            assertThat(m.subscriptions()).isEqualTo(2);
            assertThat(m.connectionsOpen(ConnectionKind.HTTP)).isGreaterThanOrEqualTo(1);
            assertThat(m.requestsProxied()).isEqualTo(requests + 1);
            pub.publish(Publish.item("metrics-a").id("1").stream("one\n"));
            pub.publish(Publish.item("metrics-a").id("1").stream("one again\n"));
            pub.publish(Publish.item("metrics-b").stream("two\n"));
            s.awaitText("two\n", WAIT);
            assertThat(s.text()).isEqualTo("hi\none\ntwo\n");
            await("two deliveries", () -> m.deliveries() == delivered + 2);
            assertThat(m.dropped(ServerMetrics.Drop.DUPLICATE_ID)).isEqualTo(duplicates + 1);
        }
        await("the hold ended", () -> m.held(HoldKind.STREAM) == 0 && m.subscriptions() == 0);
    }

    @Test
    void twoServersInOneJvmCountApart() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "our server's own counters");
        origin.on("/plain", Reply.status(200).body("plain\n"));
        try (PushpinServerExtension other = PushpinServerExtension.builder().routes("* " + origin.target())
                .start()) {
            long before = pushpin.server().metrics().requestsProxied();
            assertThat(RawClient.exchange(other.httpPort(), Req.get("/plain")).status()).isEqualTo(200);
            assertThat(other.server().metrics().requestsProxied()).isEqualTo(1);
            assertThat(pushpin.server().metrics().requestsProxied()).isEqualTo(before);
        }
    }
}
