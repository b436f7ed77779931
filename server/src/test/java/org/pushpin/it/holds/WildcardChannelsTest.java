package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.publishUntilAnswered;
import static org.pushpin.it.holds.Holds.sync;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code [handler] wildcard_channels=true} (docs/wildcard-channels.md) on HTTP holds, over real sockets: a channel
 * ending in {@code *} gets every item published to a channel with that prefix; a connection gets an item once
 * however many of its channels match; a prev-id on a wildcard is ignored. With the option off:
 * {@link WildcardChannelsOffTest}.
 */
@Timeout(60)
class WildcardChannelsTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handler("wildcard_channels", "true")
            .routes("* " + origin.target())
            .controlApi()
            .build();

    @BeforeEach
    void oursOnly() {
        assumeFalse(PushpinServerExtension.againstReference(), "wildcard channels are ours");
    }

    private static Reply sse(String... channels) {
        Reply r = Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream");
        for (String c : channels) {
            r.header("Grip-Channel", c);
        }
        return r.body("");
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    @Test
    void anSseStreamOnAPatternGetsItsChannelsAndNoOther() throws Exception {
        String room = channel("chat") + ".";
        origin.on("/sse", sse(room + "*"));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/sse"))) {
            sync(pub, room + "sync", s);
            pub.stream(room + "a", event("a"));
            pub.stream(channel("news") + ".x", event("news"));
            pub.stream(room.substring(0, room.length() - 1), event("no dot"));
            pub.stream(room + "b", event("b"));
            // one server, one publisher connection: the items are fanned out in the order published
            s.awaitSinceMark(t -> t.contains(event("b")), WAIT);
            assertThat(s.sinceMark()).isEqualTo(event("a") + event("b"));
        }
    }

    @Test
    void aStreamOnAPatternAndOneOfItsChannelsGetsAnItemOnce() throws Exception {
        String room = channel("dup") + ".";
        origin.on("/dup", sse(room + "*", room + "a"));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/dup"));
             HeldStream other = HeldStream.open(pushpin.httpPort(), Req.get("/dup"))) {
            sync(pub, room + "a", s, other);
            pub.stream(room + "a", event("1"));
            pub.stream(room + "b", event("2"));
            pub.stream(room + "a", event("3"));
            s.awaitSinceMark(t -> t.contains(event("3")), WAIT);
            other.awaitSinceMark(t -> t.contains(event("3")), WAIT);
            assertThat(s.sinceMark()).isEqualTo(event("1") + event("2") + event("3"));
            assertThat(other.sinceMark()).isEqualTo(event("1") + event("2") + event("3"));
        }
    }

    @Test
    void aLongPollOnAPatternIsAnsweredByAPublishToAMatchingChannel() throws Exception {
        String room = channel("lp") + ".";
        origin.on("/lp", Holds.response(room + "*", "timed out\n"));
        Publish pub = pushpin.publisher();
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/lp"));
            origin.awaitRequest("/lp");
            RawResponse r = publishUntilAnswered(pub, c, Publish.item(room + "x").response("for x\n"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("for x\n");
        }
    }

    @Test
    void aPrevIdOnAPatternIsIgnored() throws Exception {
        String room = channel("prev") + ".";
        // the pattern's own name has a last id, unlike the prev-id given: on an exact channel that would make
        // the long-poll ask the origin again at once; on a pattern it waits as without a prev-id
        origin.on("/keep", sse(room + "*"));
        origin.on("/prev", Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "response")
                .header("Grip-Channel", room + "*; prev-id=older").body("timed out\n"));
        Publish pub = pushpin.publisher();
        // a stream keeps the pattern subscribed, so the long-poll is not its first subscription (no retry for that)
        try (HeldStream keep = HeldStream.open(pushpin.httpPort(), Req.get("/keep"));
             RawClient c = RawClient.connect(pushpin.httpPort())) {
            sync(pub, room + "sync", keep);
            pub.publish(Publish.item(room + "*").id("last").stream("literal\n"));
            keep.awaitSinceMark(t -> t.contains("literal\n"), WAIT);
            c.send(Req.get("/prev"));
            origin.awaitRequest("/prev");
            RawResponse r = publishUntilAnswered(pub, c, Publish.item(room + "y").response("for y\n"));
            assertThat(r.bodyText()).isEqualTo("for y\n");
            assertThat(origin.requestsTo("/prev")).as("the origin was asked once").hasSize(1);
        }
    }
}
