package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code Grip-Link: <uri>; rel=gone} (Pushpin 1.41, docs/grip.md#gone-links) as the origin sees it: a bodiless POST to
 * the link, resolved against the client's request, when the hold ends, whatever ended it.
 */
class GoneLinkTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .proxy("sig_key", "gone-secret")
            .routes("* " + origin.target())
            .build();

    @Test
    void clientThatLeavesAStreamIsReportedGone() throws Exception {
        String ch = channel("gone-stream");
        origin.on("/gone/s/stream", stream("hello\n", ch).header("Grip-Link", "<left?who=a>; rel=gone"));
        origin.on("/gone/s/left", r -> org.pushpin.testing.Reply.status(204));
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/gone/s/stream"))) {
            s.awaitText("hello\n", WAIT);
            assertThat(s.text()).isEqualTo("hello\n");
            assertThat(origin.requestsTo("/gone/s/left")).isEmpty();
        }
        OriginRequest gone = origin.awaitRequest("/gone/s/left", WAIT);
        assertThat(gone.method()).isEqualTo("POST");
        assertThat(gone.uri()).isEqualTo("/gone/s/left?who=a");
        assertThat(gone.body()).isEmpty();
        assertThat(gone.header("Content-Length")).hasValue("0");
        assertThat(gone.header("Grip-Sig")).isPresent();
        assertThat(gone.header("Host")).isPresent();
    }

    @Test
    void publishedCloseEndsTheStreamAndPostsTheLink() throws Exception {
        String ch = channel("gone-close");
        origin.on("/gone/c/stream", stream("", ch).header("Grip-Link", "</gone/c/bye>; rel=gone"));
        origin.on("/gone/c/bye", r -> org.pushpin.testing.Reply.status(200));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/gone/c/stream"))) {
            sync(pub, ch, s);
            pub.closeStreams(ch);
            assertThat(s.awaitEnd(WAIT)).isTrue();
            assertThat(origin.awaitRequest("/gone/c/bye", WAIT).method()).isEqualTo("POST");
        }
    }

    @Test
    void streamFollowingItsNextLinkKeepsTheFirstGoneLink() throws Exception {
        String ch = channel("gone-next");
        origin.on("/gone/n/stream", stream("one\n", ch).header("Grip-Link", "</gone/n/bye>; rel=gone")
                .header("Grip-Link", "</gone/n/more>; rel=next"));
        origin.on("/gone/n/more", stream("two\n", ch).header("Grip-Link", "</gone/n/other>; rel=gone"));
        origin.on("/gone/n/bye", r -> org.pushpin.testing.Reply.status(200));
        origin.on("/gone/n/other", r -> org.pushpin.testing.Reply.status(200));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/gone/n/stream"))) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).format("http-stream", "{\"action\": \"hint\"}"));
            s.awaitText("two\n", WAIT);
            // following the link is no end of the client's session
            assertThat(origin.requestsTo("/gone/n/bye")).isEmpty();
        }
        assertThat(origin.awaitRequest("/gone/n/bye", WAIT).method()).isEqualTo("POST");
        // the link answer's own gone link is not used (as in Pushpin)
        assertThat(origin.requestsTo("/gone/n/other")).isEmpty();
    }

    @Test
    void streamWhoseLinkAnswersWithoutHoldEndsAndPostsTheLink() throws Exception {
        String ch = channel("gone-last");
        origin.on("/gone/l/stream", stream("one\n", ch).header("Grip-Link", "</gone/l/bye>; rel=gone")
                .header("Grip-Link", "</gone/l/last>; rel=next"));
        origin.on("/gone/l/last", org.pushpin.testing.Reply.ok("last\n"));
        origin.on("/gone/l/bye", r -> org.pushpin.testing.Reply.status(200));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/gone/l/stream"))) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).format("http-stream", "{\"action\": \"hint\"}"));
            assertThat(s.awaitEnd(WAIT)).isTrue();
            assertThat(s.text()).endsWith("last\n");
            assertThat(origin.awaitRequest("/gone/l/bye", WAIT).method()).isEqualTo("POST");
        }
    }

    @Test
    void longPollTimeoutAlsoPostsTheLinkAsPushpinDoes() throws Exception {
        String ch = channel("gone-poll");
        origin.on("/gone/p/poll", response(ch, "timeout\n").header("Grip-Timeout", "5")
                .header("Grip-Link", "</gone/p/bye>; rel=gone"));
        origin.on("/gone/p/bye", r -> org.pushpin.testing.Reply.status(200));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/gone/p/poll"));
            RawResponse r = c.timeout(Duration.ofSeconds(15)).read();
            assertThat(r.bodyText()).isEqualTo("timeout\n");
        }
        assertThat(origin.awaitRequest("/gone/p/bye", WAIT).method()).isEqualTo("POST");
    }

    @Test
    void unreachableGoneLinkDisturbsNobody() throws Exception {
        String ch = channel("gone-bad");
        origin.on("/gone/b/stream", stream("x\n", ch)
                .header("Grip-Link", "<http://127.0.0.1:" + PushpinServerExtension.freeLocalPort() + "/g>; rel=gone"));
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/gone/b/stream"))) {
            s.awaitText("x\n", WAIT);
        }
        // The server still serves the next client.
        origin.on("/gone/b/plain", org.pushpin.testing.Reply.ok("fine\n"));
        assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/gone/b/plain")).bodyText()).isEqualTo("fine\n");
    }
}
