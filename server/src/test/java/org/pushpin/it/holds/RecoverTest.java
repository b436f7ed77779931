package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/** {@code POST /recover} (docs/grip.md#recover) as a long-polling client and the origin see it. */
class RecoverTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("* " + origin.target())
            .build();

    @Test
    void recoverMakesLongPollsAskTheOriginAgain() throws Exception {
        String ch = channel("recover");
        AtomicInteger polls = new AtomicInteger();
        origin.on("/rec/poll", r -> polls.incrementAndGet() == 1
                ? response(ch, "timeout\n") : Reply.ok("recovered\n"));
        origin.on("/rec/plain", stream("", ch));
        Publish pub = pushpin.publisher();

        // A stream on the channel first, so the long-poll is not retried for being the channel's first subscriber.
        try (HeldStream plain = HeldStream.open(pushpin.httpPort(), Req.get("/rec/plain"));
                RawClient poll = RawClient.connect(pushpin.httpPort())) {
            sync(pub, ch, plain);
            poll.send(Req.get("/rec/poll"));
            origin.awaitRequest("/rec/poll");
            assertThat(poll.outcome(Duration.ofMillis(500))).isInstanceOf(RawClient.Silent.class);

            HttpResponse<String> rec = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(pushpin.controlUrl("/recover")))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rec.statusCode()).isEqualTo(200);
            assertThat(rec.body()).isEqualTo("Updated\n");

            RawResponse resp = poll.timeout(WAIT).read();
            assertThat(resp.bodyText()).isEqualTo("recovered\n");
            assertThat(polls.get()).isEqualTo(2);
        }
    }
}
