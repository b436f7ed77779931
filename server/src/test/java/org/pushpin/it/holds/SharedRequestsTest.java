package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code [handler] share_all=true}: identical requests held at once share one origin request (docs/grip.md). The
 * origin holds its answer until the server says every other client joined, so the clients are all waiting at once.
 */
class SharedRequestsTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .handler("share_all", "true")
            .routes("* " + origin.target())
            .build();

    private static final ExecutorService OPENERS = Executors.newCachedThreadPool();

    @AfterAll
    static void stopOpeners() {
        OPENERS.shutdownNow();
    }

    private static long shared() {
        return pushpin.server().metrics().requestsShared();
    }

    /** Blocks the origin's answer until {@code count} requests joined another's origin request. */
    private static void awaitShared(long count) {
        Await.until(WAIT, () -> shared() >= count, () -> "requests shared: " + shared() + ", wanted " + count);
    }

    private static List<RawClient> sendAll(int n, Req req) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(RawClient.connect(pushpin.httpPort()).send(req));
        }
        return clients;
    }

    @Test
    void identicalRequestsAtOnceShareOneOriginRequestAndAllGetItsAnswer() throws Exception {
        int n = 20;
        long base = shared();
        AtomicInteger asked = new AtomicInteger();
        origin.on("/same", r -> {
            int k = asked.incrementAndGet();
            awaitShared(base + n - 1);
            return Reply.ok("answer " + k + "\n").header("X-Answer", String.valueOf(k));
        });
        List<RawClient> clients = sendAll(n, Req.get("/same?q=1"));
        try {
            for (RawClient c : clients) {
                RawResponse r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("answer 1\n");
                assertThat(r.header("X-Answer")).contains("1");
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertThat(origin.requestsTo("/same")).hasSize(1);
        assertThat(shared() - base).isEqualTo(n - 1);
    }

    @Test
    void requestsThatDifferInUrlOrMethodAreNotShared() throws Exception {
        long base = shared();
        List<Req> reqs = List.of(Req.get("/diff?a"), Req.get("/diff?b"), Req.of("DELETE", "/diff?a"),
                Req.head("/diff?a"));
        CountDownLatch arrived = new CountDownLatch(reqs.size());
        origin.on("/diff", r -> {
            arrived.countDown();
            try {
                // each answer waits for all four at the origin: shared ones would never arrive
                arrived.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.ok(r.method() + " " + r.uri() + "\n");
        });
        List<RawClient> clients = new ArrayList<>();
        for (Req req : reqs) {
            clients.add(RawClient.connect(pushpin.httpPort()).send(req));
        }
        try {
            assertThat(clients.get(0).read().bodyText()).isEqualTo("GET /diff?a\n");
            assertThat(clients.get(1).read().bodyText()).isEqualTo("GET /diff?b\n");
            assertThat(clients.get(2).read().bodyText()).isEqualTo("DELETE /diff?a\n");
            assertThat(clients.get(3).read().status()).isEqualTo(200);
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertThat(origin.requestsTo("/diff")).hasSize(4);
        assertThat(shared()).isEqualTo(base);
    }

    @Test
    void aHoldAnswerHoldsEverySharer() throws Exception {
        int n = 8;
        long base = shared();
        String ch = channel("shared-hold");
        origin.on("/held", r -> {
            awaitShared(base + n - 1);
            return stream("welcome\n", ch);
        });
        List<Future<HeldStream>> opening = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opening.add(OPENERS.submit(() -> HeldStream.open(pushpin.httpPort(), Req.get("/held"))));
        }
        List<HeldStream> streams = new ArrayList<>();
        try {
            for (Future<HeldStream> f : opening) {
                streams.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            HeldStream[] all = streams.toArray(HeldStream[]::new);
            for (HeldStream s : all) {
                assertThat(s.status()).isEqualTo(200);
                assertThat(s.awaitText(t -> t.startsWith("welcome\n"), WAIT)).startsWith("welcome\n");
            }
            Publish pub = pushpin.publisher();
            sync(pub, ch, all);
            pub.stream(ch, "news\n");
            for (HeldStream s : all) {
                s.awaitSinceMark(t -> t.equals("news\n"), WAIT);
            }
        } finally {
            for (HeldStream s : streams) {
                s.close();
            }
        }
        assertThat(origin.requestsTo("/held")).hasSize(1);
    }

    @Test
    void theRetriesOfSharersAreSharedToo() throws Exception {
        int n = 6;
        long base = shared();
        String ch = channel("shared-retry");
        AtomicInteger asked = new AtomicInteger();
        origin.on("/lp", r -> {
            if (asked.incrementAndGet() == 1) {
                awaitShared(base + n - 1);
                return Holds.response(ch, "timed out\n");
            }
            // the retry every hold makes ~1 s after its channel's first subscription: one for all of them
            awaitShared(base + 2L * (n - 1));
            return Reply.ok("retried " + asked.get() + "\n");
        });
        List<RawClient> clients = sendAll(n, Req.get("/lp"));
        try {
            for (RawClient c : clients) {
                assertThat(c.read().bodyText()).isEqualTo("retried 2\n");
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertThat(origin.requestsTo("/lp")).hasSize(2);
    }

    @Test
    void whenTheLeadingClientLeavesAnotherAsksAgainAndTheRestShareThat() throws Exception {
        int n = 5;
        long base = shared();
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch allJoined = new CountDownLatch(1);
        origin.on("/lead", r -> {
            int k = asked.incrementAndGet();
            if (k == 1) {
                awaitShared(base + n - 1);
                allJoined.countDown();
                // the answer waits until the one who asked left and another asked again
                Await.until(WAIT, () -> asked.get() >= 2, "asked again");
            }
            return Reply.ok("answer " + k + "\n");
        });
        RawClient leader = RawClient.connect(pushpin.httpPort()).send(Req.get("/lead"));
        origin.awaitRequest("/lead", WAIT);
        List<RawClient> followers = sendAll(n - 1, Req.get("/lead"));
        try {
            assertThat(allJoined.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            leader.close();
            for (RawClient c : followers) {
                assertThat(c.read().bodyText()).isEqualTo("answer 2\n");
            }
        } finally {
            for (RawClient c : followers) {
                c.close();
            }
        }
        assertThat(origin.requestsTo("/lead")).hasSize(2);
    }

    @Test
    void aPlainAnswerOfUnknownLengthSendsTheOthersToTheOriginThemselves() throws Exception {
        int n = 3;
        long base = shared();
        AtomicInteger asked = new AtomicInteger();
        origin.on("/open-ended", r -> {
            int k = asked.incrementAndGet();
            if (k == 1) {
                awaitShared(base + n - 1);
            }
            return Reply.ok("answer " + k + "\n").chunked();
        });
        List<RawClient> clients = sendAll(n, Req.get("/open-ended"));
        List<String> bodies = new ArrayList<>();
        try {
            for (RawClient c : clients) {
                bodies.add(c.read().bodyText());
            }
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        assertThat(bodies).containsExactlyInAnyOrder("answer 1\n", "answer 2\n", "answer 3\n");
        assertThat(origin.requestsTo("/open-ended")).hasSize(n);
    }
}
