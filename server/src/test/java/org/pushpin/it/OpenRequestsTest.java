package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.proxy.OpenRequests;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code [proxy] max_open_requests} (docs/reliability.md#limits) as clients and the origin see it, with a limit of 2:
 * a third request while two are at the origin waits, unread, and reaches the origin only once one of them was
 * answered; nothing is refused. A request handed to a GRIP hold no longer counts (as Pushpin lets it go to its
 * handler); an open WebSocket counts until it closes (as Pushpin's WebSocket sessions do).
 */
@Timeout(30)
class OpenRequestsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("*,path_beg=/t/ test", "* " + origin.target())
            .proxy("max_open_requests", "2")
            .build();

    /** Each /slow/N answers "N" once its latch is released: the test decides when a request ends. */
    private final CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1),
        new CountDownLatch(1)};

    @BeforeEach
    void slowOrigin() {
        for (int i = 1; i < release.length; i++) {
            int n = i;
            origin.on("/slow/" + n, r -> {
                try {
                    release[n].await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.ok("" + n);
            });
        }
    }

    private static OpenRequests open() {
        return pushpin.server().openRequests();
    }

    private static RawClient send(String path) throws Exception {
        return RawClient.connect(pushpin.httpPort()).send(Req.get(path));
    }

    private static void assertAnswered(RawClient c, String body) throws Exception {
        RawResponse r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(body);
    }

    @Test
    void aThirdRequestWaitsUntilOneOfTheTwoOpenEndsThenGoesThrough() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "reads the server's own count");
        try (RawClient first = send("/slow/1"); RawClient second = send("/slow/2")) {
            origin.awaitRequest("/slow/1", WAIT);
            origin.awaitRequest("/slow/2", WAIT);
            try (RawClient third = send("/slow/3")) {
                Await.until(WAIT, () -> open().waiting() == 1, () -> "the third request waits; " + state());
                assertThat(origin.requestsTo("/slow/3")).as("not at the origin while two are open").isEmpty();
                assertThat(open().open()).isEqualTo(2);

                release[1].countDown();
                assertAnswered(first, "1");
                origin.awaitRequest("/slow/3", WAIT);

                release[2].countDown();
                release[3].countDown();
                assertAnswered(second, "2");
                assertAnswered(third, "3");
            }
        }
        Await.until(WAIT, () -> open().open() == 0 && open().waiting() == 0, () -> "all ended; " + state());
    }

    @Test
    void aRequestHeldByGripNoLongerCountsSoOthersGoThrough() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "reads the server's own count");
        origin.on("/held", Reply.status(200).header("Grip-Hold", "stream").header("Grip-Channel", "open-requests")
                .body("held\n"));
        try (HeldStream a = HeldStream.open(pushpin.httpPort(), Req.get("/held"));
             HeldStream b = HeldStream.open(pushpin.httpPort(), Req.get("/held"))) {
            a.awaitExactly("held\n", WAIT);
            b.awaitExactly("held\n", WAIT);
            release[1].countDown();
            assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/slow/1")).bodyText()).isEqualTo("1");
            Await.until(WAIT, () -> open().open() == 0, () -> "the held streams do not count; " + state());
        }
    }

    @Test
    void anOpenWebSocketCountsUntilItCloses() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "reads the server's own count");
        try (RawClient ws1 = upgrade(); RawClient ws2 = upgrade(); RawClient plain = send("/slow/1")) {
            Await.until(WAIT, () -> open().waiting() == 1, () -> "the request waits behind two WebSockets; " + state());
            assertThat(origin.requestsTo("/slow/1")).isEmpty();
            ws1.close();
            origin.awaitRequest("/slow/1", WAIT);
            release[1].countDown();
            assertAnswered(plain, "1");
        }
        Await.until(WAIT, () -> open().open() == 0 && open().waiting() == 0, () -> "all ended; " + state());
    }

    /** A WebSocket to the {@code test} target, open once its 101 is read. */
    private static RawClient upgrade() throws Exception {
        RawClient c = RawClient.connect(pushpin.httpPort()).send(Req.get("/t/ws").header("Upgrade", "websocket")
                .header("Connection", "Upgrade").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Sec-WebSocket-Version", "13"));
        assertThat(c.readHead().status()).isEqualTo(101);
        return c;
    }

    private static String state() {
        return "open=" + open().open() + " waiting=" + open().waiting() + " origin got " + origin.requests().size();
    }
}
