package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.publishUntilAnswered;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The publish action {@code refresh} (Pushpin 1.38+) on HTTP holds: read in every format, as Pushpin reads it, and
 * ignored by streams and long-polls (only WebSocket-over-HTTP connections act on it, see WsOverHttpSessionTest):
 * nothing is written, nothing retried, the origin is not asked.
 */
class RefreshActionTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    // No retry after the first subscription, so every origin request counted here is one a publish caused.
    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .handler("update_on_first_subscription", "false")
            .routes("* " + origin.target())
            .build();

    static Publish.Item refresh(String ch) {
        return Publish.item(ch).format("http-stream", "{\"action\": \"refresh\"}")
                .format("http-response", "{\"action\": \"refresh\"}")
                .format("ws-message", "{\"action\": \"refresh\"}");
    }

    @Test
    void streamIgnoresRefresh() throws Exception {
        String ch = channel("refresh-stream");
        origin.on("/refresh/stream", stream("", ch).header("Grip-Link", "</refresh/next>; rel=next"));
        origin.on("/refresh/next", stream("next\n", ch));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/refresh/stream"))) {
            sync(pub, ch, s);
            pub.publish(refresh(ch));
            pub.stream(ch, "after\n");
            assertThat(s.awaitSinceMark(t -> t.contains("after\n"), WAIT)).isEqualTo("after\n");
        }
        assertThat(origin.requestsTo("/refresh/next")).isEmpty();
    }

    @Test
    void longPollIgnoresRefresh() throws Exception {
        String ch = channel("refresh-poll");
        origin.on("/refresh/poll", response(ch, "timeout\n"));
        Publish pub = pushpin.publisher();
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/refresh/poll"));
            origin.awaitRequest("/refresh/poll");
            // refresh and answer in one request, in that order: the answer proves the refresh reached the hold
            RawResponse r = publishUntilAnswered(pub, c, refresh(ch), Publish.item(ch).response("done\n"));
            assertThat(r.bodyText()).isEqualTo("done\n");
        }
        assertThat(origin.requestsTo("/refresh/poll")).hasSize(1);
    }
}
