package org.pushpin.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.cluster.ClusterClients.WAIT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.HistoryMetrics;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.RedisServer;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * History and resume through Redis (docs/history.md): two instances on one real Redis with history on; a client that
 * read items on one instance resumes on the other and gets exactly the later items, then live ones. When Redis lost
 * the history (flushed, or its epoch key gone) a resume is a counted miss and nothing old is replayed.
 */
@Timeout(60)
class RedisHistoryTest {
    @RegisterExtension
    @Order(1)
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    @Order(2)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension a = instance();

    @RegisterExtension
    @Order(4)
    static final PushpinServerExtension b = instance();

    private static PushpinServerExtension instance() {
        return PushpinServerExtension.builder()
                .controlApi()
                .set("cluster", "broker", "redis")
                .set("cluster", "redis_url", redis.url())
                .set("cluster", "redis_prefix", "rh:")
                .handler("history_size", "100")
                .handler("history_ttl", "300")
                .routes("* " + origin.target())
                .build();
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference has no Redis broker");
    }

    private static String sse(String channel) {
        String path = "/sse-" + channel;
        origin.on(path, Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream")
                .header("Grip-Channel", channel).body("[open]\n"));
        return path;
    }

    /** A stream held on {@code on}, resuming after {@code lastId} when not null; in force once its body came. */
    private static HeldStream hold(PushpinServerExtension on, String path, String lastId) throws Exception {
        Req req = Req.get(path);
        HeldStream s = HeldStream.open(on.httpPort(), lastId == null ? req : req.header("Last-Event-ID", lastId));
        s.awaitText("[open]\n", WAIT);
        return s;
    }

    private static void events(PushpinServerExtension through, String channel, int from, int to) throws Exception {
        for (int n = from; n <= to; n++) {
            through.publisher().publish(Publish.item(channel).id(Integer.toString(n)).stream("e" + n + "\n"));
        }
    }

    private static HistoryMetrics history(PushpinServerExtension on) {
        return on.server().metrics().history();
    }

    @Test
    void aClientResumesOnTheOtherInstanceWithExactlyTheLaterItemsThenLiveOnes() throws Exception {
        String ch = "rh-" + System.nanoTime();
        String path = sse(ch);
        try (HeldStream first = hold(a, path, null)) {
            events(a, ch, 1, 5);
            first.awaitText("e5\n", WAIT);
        }
        events(b, ch, 6, 8);
        events(a, ch, 9, 10);
        long replayed = history(b).replayed();

        try (HeldStream again = hold(b, path, "5")) {
            again.awaitText("e10\n", WAIT);
            events(a, ch, 11, 11);
            again.awaitText("e11\n", WAIT);
            assertThat(again.text()).isEqualTo("[open]\ne6\ne7\ne8\ne9\ne10\ne11\n");
        }
        assertThat(history(b).replayed() - replayed).isEqualTo(5);
    }

    @Test
    void aResumeWhilePublishesGoOnGetsEveryItemOnceInOrder() throws Exception {
        String ch = "rh-race-" + System.nanoTime();
        String path = sse(ch);
        events(a, ch, 1, 5);
        int last = 300;
        java.util.concurrent.CompletableFuture<Void> publishing = java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    try {
                        events(a, ch, 6, last);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        // the resume's subscription and lookup race with the publishes: each item must come once, replayed or live
        try (HeldStream again = hold(b, path, "5")) {
            again.awaitText("e" + last + "\n", WAIT);
            publishing.join();
            StringBuilder expected = new StringBuilder("[open]\n");
            for (int n = 6; n <= last; n++) {
                expected.append('e').append(n).append('\n');
            }
            assertThat(again.text()).isEqualTo(expected.toString());
        }
    }

    @Test
    void itemsWithoutAnIdAndClosesAreNotReplayed() throws Exception {
        String ch = "rh-noid-" + System.nanoTime();
        String path = sse(ch);
        events(a, ch, 1, 1);
        a.publisher().publish(Publish.item(ch).stream("no id\n"));
        a.publisher().publish(Publish.item(ch).id("c").streamClose());
        events(a, ch, 2, 2);

        try (HeldStream again = hold(b, path, "1")) {
            again.awaitText("e2\n", WAIT);
            assertThat(again.text()).isEqualTo("[open]\ne2\n");
            assertThat(again.ended()).isFalse();
        }
    }

    @Test
    void afterRedisLostItsDataAResumeIsACountedMissAndNothingIsReplayed() throws Exception {
        String ch = "rh-flush-" + System.nanoTime();
        String path = sse(ch);
        events(a, ch, 1, 3);
        assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
        long misses = history(b).misses();

        try (HeldStream again = hold(b, path, "2")) {
            Await.until(WAIT, () -> history(b).misses() == misses + 1, "the miss was counted");
            events(a, ch, 4, 4);
            again.awaitText("e4\n", WAIT);
            assertThat(again.text()).isEqualTo("[open]\ne4\n");
        }
    }

    @Test
    void entriesOfAnEarlierEpochNoLongerCount() throws Exception {
        String ch = "rh-epoch-" + System.nanoTime();
        String path = sse(ch);
        events(a, ch, 1, 3);
        // the epoch alone is lost (evicted, say): the next write sets a new one, the older entries stay in the stream
        assertThat(redis.command("DEL rh:hist-epoch")).isEqualTo(":1");
        events(a, ch, 4, 4);
        long misses = history(b).misses();

        try (HeldStream again = hold(b, path, "2")) {
            Await.until(WAIT, () -> history(b).misses() == misses + 1, "the miss was counted");
            events(a, ch, 5, 5);
            again.awaitText("e5\n", WAIT);
            assertThat(again.text()).isEqualTo("[open]\ne5\n");
        }
        try (HeldStream again = hold(b, path, "4")) {
            events(a, ch, 6, 6);
            again.awaitText("e6\n", WAIT);
            assertThat(again.text()).as("ids of the new epoch resume").isEqualTo("[open]\ne5\ne6\n");
        }
    }

    @Test
    void aLongPollOnTheOtherInstanceIsAnsweredFromItsPrevId() throws Exception {
        String ch = "rh-lp-" + System.nanoTime();
        for (int n = 1; n <= 3; n++) {
            a.publisher().publish(Publish.item(ch).id("l" + n).response("r" + n + "\n"));
        }
        origin.on("/lp-" + ch, Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "response")
                .header("Grip-Channel", ch + "; prev-id=l1").body("timed out\n"));
        long replayed = history(b).replayed();

        try (RawClient c = RawClient.connect(b.httpPort())) {
            c.send(Req.get("/lp-" + ch));
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("r2\n");
        }
        assertThat(history(b).replayed()).isEqualTo(replayed + 1);
    }
}
