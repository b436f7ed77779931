package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/** {@code Grip-Link: <uri>; rel=next} as a client and the origin see it (docs/grip.md#next-links). */
class NextLinkTest {
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
    void linksWithoutHoldAreFollowedAndTheirBodiesAppended() throws Exception {
        origin.on("/chain/1", Reply.ok("one\n").header("Grip-Link", "</chain/2>; rel=next"));
        origin.on("/chain/2", Reply.ok("two\n").header("Grip-Link", "</chain/3?x=1>; rel=next"));
        origin.on("/chain/3", Reply.ok("three\n"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/chain/1"))) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.awaitEnd(WAIT)).as("the chain ends with the last link: " + s).isTrue();
            assertThat(s.endedCleanly()).isTrue();
            assertThat(s.text()).isEqualTo("one\ntwo\nthree\n");
            assertThat(s.hasHeader("Content-Length")).isFalse();
        }
        assertThat(origin.awaitRequest("/chain/3").uri()).isEqualTo("/chain/3?x=1");
    }

    @Test
    void aHintMakesAStreamFetchItsLinkWithGripLastAndTheAnswerReplacesTheChannels() throws Exception {
        String first = channel("link-first");
        String second = channel("link-second");
        origin.on("/link/start", stream("start\n", first + "; prev-id=a1")
                .header("Grip-Link", "</link/next>; rel=next"));
        origin.on("/link/next", stream("next\n", second));
        origin.on("/link/plain", stream("", first));
        origin.on("/link/probe", stream("", first).header("Grip-Link", "</link/probe-next>; rel=next"));
        origin.on("/link/probe-next", Reply.ok(""));
        Publish pub = pushpin.publisher();

        // A stream with a link also fetches it ~1 s after its channel's first subscription; a plain stream
        // subscribed first, and still subscribed after that moment, keeps that from happening to the stream under
        // test, so only the hint fetches its link. A probe stream with a link, subscribed along with the plain one,
        // shows when that moment has passed: it fetches its own link then.
        try (HeldStream plain = HeldStream.open(pushpin.httpPort(), Req.get("/link/plain"));
                HeldStream probe = HeldStream.open(pushpin.httpPort(), Req.get("/link/probe"))) {
            sync(pub, first, plain);
            origin.awaitRequest("/link/probe-next", WAIT);
            assertThat(probe.awaitEnd(WAIT)).as("the probe's link answer ends it: " + probe).isTrue();
            hintFetchesTheLink(pub, first, second);
        }
    }

    private static void hintFetchesTheLink(Publish pub, String first, String second) throws Exception {
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/link/start"))) {
            sync(pub, first, s);
            pub.publish(Publish.item(first).format("http-stream", "{\"action\": \"hint\"}"));
            s.awaitSinceMark(t -> t.contains("next\n"), WAIT);
            OriginRequest fetched = origin.awaitRequest("/link/next");
            assertThat(fetched.method()).isEqualTo("GET");
            assertThat(fetched.headers("Grip-Last")).containsExactly(first + "; last-id=a1");

            sync(pub, second, s);
            pub.stream(second, "on the new channel\n");
            s.awaitSinceMark(t -> t.equals("on the new channel\n"), WAIT);
            pub.stream(first, "old channel\n");
            pub.stream(second, "again\n");
            s.awaitSinceMark(t -> t.equals("on the new channel\nagain\n"), WAIT);
        }
    }

    @Test
    void aStreamFetchesItsLinkWhenTheLinkTimeoutPasses() throws Exception {
        String ch = channel("link-timeout");
        origin.on("/lt/start", stream("start\n", ch).header("Grip-Link", "</lt/next>; rel=next; timeout=1"));
        origin.on("/lt/next", Reply.ok("done\n"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/lt/start"))) {
            assertThat(s.awaitEnd(WAIT)).as("the link's answer has no hold or link: the stream ends: " + s).isTrue();
            assertThat(s.text()).isEqualTo("start\ndone\n");
        }
    }

    @Test
    void aFailingLinkIsAskedAgainWhileNothingWasSent() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        origin.on("/retry/1", Reply.ok("").header("Grip-Link", "</retry/2>; rel=next"));
        origin.on("/retry/2", r -> tries.incrementAndGet() == 1 ? Reply.status(503).body("busy") : Reply.ok("late\n"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/retry/1"))) {
            assertThat(s.awaitEnd(WAIT)).as("ends after the second try: " + s).isTrue();
            assertThat(s.text()).isEqualTo("late\n");
        }
        assertThat(tries.get()).isEqualTo(2);
    }

    @Test
    void aFailingLinkEndsAStreamThatAlreadySentSomething() throws Exception {
        origin.on("/fail/1", Reply.ok("first\n").header("Grip-Link", "</fail/2>; rel=next"));
        origin.on("/fail/2", Reply.status(500).body("no"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/fail/1"))) {
            assertThat(s.awaitEnd(WAIT)).isTrue();
            assertThat(s.text()).isEqualTo("first\n");
        }
    }
}
