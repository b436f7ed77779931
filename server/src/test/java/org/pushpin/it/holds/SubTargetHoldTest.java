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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * A target's {@code sub=} channels on HTTP holds: every hold through that target is subscribed to them as well, as
 * written (the route's prefix is not put in front), as in 1.36 (docs/configuration.md#targets).
 */
@Timeout(30)
class SubTargetHoldTest {
    private static final String SUB = "implicit-" + System.nanoTime();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(),
                    "sub.test,prefix=pre- " + origin.target() + ",sub=" + SUB + ",sub=")
            .controlApi()
            .build();

    @Test
    void aStreamGetsItsOwnChannelAndTheTargetsChannel() throws Exception {
        String own = channel("own");
        origin.on("/s", stream("init\n", own));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/s").host("sub.test"))) {
            s.awaitExactly("init\n", WAIT);
            sync(pub, SUB, s);
            pub.stream(SUB, "via sub\n");
            pub.stream("pre-" + SUB, "not this one\n");
            pub.stream("pre-" + own, "own\n");

            s.awaitSinceMark(t -> t.equals("via sub\nown\n"), WAIT);
        }
    }

    @Test
    void aLongPollIsAnsweredByAPublishOnTheTargetsChannel() throws Exception {
        origin.on("/lp", response(channel("lp"), "timed out\n"));
        Publish pub = pushpin.publisher();

        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/lp").host("sub.test"));
            RawResponse resp = publishUntilAnswered(pub, c, Publish.item(SUB).response("published\n"));

            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("published\n");
        }
    }

    @Test
    void withoutAHoldTheTargetsChannelDoesNothing() throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/plain").host("sub.test"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("origin GET /plain");
    }

    @Test
    void otherTargetsAreNotSubscribed() throws Exception {
        String own = channel("other");
        origin.on("/o", stream("", own));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/o"))) {
            sync(pub, own, s);
            pub.stream(SUB, "via sub\n");
            pub.stream(own, "own\n");

            s.awaitSinceMark(t -> t.equals("own\n"), WAIT);
        }
    }
}
