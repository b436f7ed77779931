package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.response;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code update_on_first_subscription=false} (Pushpin 1.41): a long-poll that is its channel's first subscriber is
 * not retried a second later; it waits for its timeout with the one origin request it came with. (With the default,
 * {@code SubscribedBeforeAnsweredTest} and {@code ResponseHoldTest} see that retry.)
 */
class FirstSubscriptionOffTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handler("update_on_first_subscription", "false")
            .routes("* " + origin.target())
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension byDefault = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .build();

    @Test
    void firstSubscriberIsNotRetried() throws Exception {
        String ch = channel("first-off");
        origin.on("/first/poll", response(ch, "timeout\n").header("Grip-Timeout", "5"));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/first/poll"));
            RawResponse r = c.timeout(Duration.ofSeconds(15)).read();
            assertThat(r.bodyText()).isEqualTo("timeout\n");
        }
        assertThat(origin.requestsTo("/first/poll")).hasSize(1);
    }

    @Test
    void byDefaultTheFirstSubscriberIsRetried() throws Exception {
        String ch = channel("first-on");
        java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
        origin.on("/first/on", r -> polls.incrementAndGet() == 1
                ? response(ch, "timeout\n").header("Grip-Timeout", "60") : org.pushpin.testing.Reply.ok("again\n"));
        try (RawClient c = RawClient.connect(byDefault.httpPort())) {
            c.send(Req.get("/first/on"));
            assertThat(c.timeout(Duration.ofSeconds(15)).read().bodyText()).isEqualTo("again\n");
        }
        assertThat(polls.get()).isEqualTo(2);
    }
}
