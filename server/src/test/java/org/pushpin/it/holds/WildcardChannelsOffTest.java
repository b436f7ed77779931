package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.sync;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Without {@code wildcard_channels} (the default), {@code *} is an ordinary character of a channel name, as in
 * Pushpin 1.36 (this test passes against it too: {@code -Dpushpin.it.server=reference}).
 */
@Timeout(60)
class WildcardChannelsOffTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension plain = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .build();

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    private static Reply sse(String channel) {
        return Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream")
                .header("Grip-Channel", channel).body("");
    }

    @Test
    void aStarIsPartOfTheName() throws Exception {
        String room = channel("off") + ".";
        origin.on("/off", sse(room + "*"));
        Publish pub = plain.publisher();
        try (HeldStream s = HeldStream.open(plain.httpPort(), Req.get("/off"))) {
            sync(pub, room + "*", s);
            pub.stream(room + "a", event("a"));
            pub.stream(room + "*", event("literal"));
            s.awaitSinceMark(t -> t.contains(event("literal")), WAIT);
            assertThat(s.sinceMark()).isEqualTo(event("literal"));
            assertThat(s.awaitEnd(Duration.ZERO)).isFalse();
        }
    }
}
