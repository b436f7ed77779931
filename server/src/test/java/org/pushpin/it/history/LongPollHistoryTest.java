package org.pushpin.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.HistoryMetrics;
import org.pushpin.testing.Await;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Long-polls served from the channel history (docs/history.md): a {@code prev-id} the history holds with later
 * items is answered at once with the next one; at the newest item, or unknown, the long-poll waits as in Pushpin.
 */
@Timeout(30)
class LongPollHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .handler("history_size", "10")
            .build();

    private static Reply longPoll(String channel, String prevId) {
        return Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "response")
                .header("Grip-Channel", channel + "; prev-id=" + prevId).body("timed out\n");
    }

    private static RawClient poll(String path) throws Exception {
        RawClient c = RawClient.connect(pushpin.httpPort());
        c.send(Req.get(path));
        return c;
    }

    private static void publish(String channel, String id, String prevId, String body) throws Exception {
        Publish.Item item = Publish.item(channel).id(id).response(body);
        pushpin.publisher().publish(prevId == null ? item : item.prevId(prevId));
    }

    private static HistoryMetrics history() {
        return pushpin.server().metrics().history();
    }

    @Test
    void aPrevIdBehindTheHistoryIsAnsweredAtOnceWithTheNextItem() throws Exception {
        String ch = "lp-behind-" + System.nanoTime();
        publish(ch, "a1", null, "one\n");
        publish(ch, "a2", "a1", "two\n");
        publish(ch, "a3", "a2", "three\n");
        origin.on("/behind", longPoll(ch, "a1"));
        long replayed = history().replayed();

        try (RawClient c = poll("/behind")) {
            RawResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("two\n");
        }
        assertThat(history().replayed()).isEqualTo(replayed + 1);
    }

    @Test
    void atTheNewestItemTheLongPollWaitsForTheNextPublish() throws Exception {
        String ch = "lp-newest-" + System.nanoTime();
        publish(ch, "b1", null, "one\n");
        origin.on("/newest", longPoll(ch, "b1"));

        try (RawClient c = poll("/newest")) {
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount(ch) == 1, "the long-poll subscribed");
            assertThat(c.outcome(Duration.ofMillis(300))).isInstanceOf(RawClient.Silent.class);
            publish(ch, "b2", "b1", "two\n");
            assertThat(c.read().bodyText()).isEqualTo("two\n");
        }
    }

    @Test
    void anUnknownPrevIdIsCountedAndTheLongPollWaits() throws Exception {
        String ch = "lp-unknown-" + System.nanoTime();
        publish(ch, "c1", null, "one\n");
        origin.on("/unknown", longPoll(ch, "not-kept"));
        long misses = history().misses();

        try (RawClient c = poll("/unknown")) {
            Await.until(WAIT, () -> history().misses() == misses + 1, "the miss was counted");
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount(ch) == 1, "the long-poll subscribed");
            assertThat(c.outcome(Duration.ofMillis(300))).isInstanceOf(RawClient.Silent.class);
            publish(ch, "c2", null, "live\n");
            assertThat(c.read().bodyText()).isEqualTo("live\n");
        }
    }
}
