package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Without {@code share_all}: the next-link GETs of held streams are shared all the same (as Pushpin's handler asks
 * for them), client requests are not.
 */
class NextLinkSharingTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("* " + origin.target())
            .build();

    private static long shared() {
        return pushpin.server().metrics().requestsShared();
    }

    @Test
    void theNextLinksOfStreamsAskedAtOnceShareOneOriginRequest() throws Exception {
        int n = 5;
        long base = shared();
        String ch = channel("link-shared");
        origin.on("/nl/start", stream("start\n", ch).header("Grip-Link", "</nl/next?client=x>; rel=next; timeout=1"));
        origin.on("/nl/next", r -> {
            Await.until(WAIT, () -> shared() >= base + n - 1, () -> "shared: " + (shared() - base));
            return Reply.ok("done\n");
        });
        List<HeldStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                streams.add(HeldStream.open(pushpin.httpPort(), Req.get("/nl/start")));
            }
            for (HeldStream s : streams) {
                assertThat(s.awaitEnd(WAIT)).as("the link's answer ends the stream: " + s).isTrue();
                assertThat(s.text()).isEqualTo("start\ndone\n");
            }
        } finally {
            for (HeldStream s : streams) {
                s.close();
            }
        }
        assertThat(origin.requestsTo("/nl/next")).hasSize(1);
        assertThat(shared() - base).isEqualTo(n - 1);
    }

    @Test
    void identicalClientRequestsEachGoToTheOrigin() throws Exception {
        int n = 4;
        long base = shared();
        CountDownLatch arrived = new CountDownLatch(n);
        origin.on("/each", r -> {
            arrived.countDown();
            try {
                arrived.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.ok("mine\n");
        });
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(RawClient.connect(pushpin.httpPort()).send(Req.get("/each")));
            }
            for (RawClient c : clients) {
                assertThat(c.read().bodyText()).isEqualTo("mine\n");
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertThat(origin.requestsTo("/each")).hasSize(n);
        assertThat(shared()).isEqualTo(base);
    }
}
