package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Publishing end to end through the HTTP control API (docs/publishing.md#http-control-api) to stream holds: nothing
 * is stored (docs/publishing.md#delivery), id de-duplication and prev-id sequencing (docs/publishing.md#sequencing),
 * subscription filters (docs/grip.md#filters), the Debian {@code pushpin-publish}, and bad publishes.
 */
@Timeout(30)
class PublishApiTest {
    static final String PUSHPIN_PUBLISH = "/usr/bin/pushpin-publish";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .handler("id_cache_ttl", "60")
            .handler("message_wait", "1000")
            .controlApi()
            .build();

    private static HeldStream open(String path) throws Exception {
        return HeldStream.open(pushpin.httpPort(), Req.get(path));
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void aPublishBeforeAnySubscriberIsNotStored() throws Exception {
        String ch = channel("early");
        origin.on("/early", stream("init\n", ch));
        Publish pub = pushpin.publisher();

        pub.publish(Publish.item(ch).id("e1").stream("early\n"));

        try (HeldStream s = open("/early")) {
            sync(pub, ch, s);
            pub.stream(ch, "later\n");
            s.awaitSinceMark(t -> t.equals("later\n"), WAIT);
            assertThat(s.text()).startsWith("init\n").doesNotContain("early");
        }
    }

    @Test
    void anIdSeenWithinTheCacheTtlIsDroppedSilently() throws Exception {
        String ch = channel("dedup");
        origin.on("/dedup", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/dedup")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).id("d1").stream("first\n"));
            HttpResponse<String> again = pub.send(Publish.item(ch).id("d1").stream("first again\n"));
            pub.publish(Publish.item(ch).id("d2").stream("second\n"));

            assertThat(again.statusCode()).as("a duplicate is still accepted").isEqualTo(200);
            s.awaitSinceMark(t -> t.equals("first\nsecond\n"), WAIT);
        }
    }

    @Test
    void outOfOrderPublishesAreDeliveredInPrevIdOrder() throws Exception {
        String ch = channel("seq");
        origin.on("/seq", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/seq")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).id("s1").stream("one\n"));
            s.awaitSinceMark(t -> t.equals("one\n"), WAIT);

            pub.publish(Publish.item(ch).id("s3").prevId("s2").stream("three\n"));
            pub.publish(Publish.item(ch).id("s4").prevId("s3").stream("four\n"));
            pub.publish(Publish.item(ch).id("s2").prevId("s1").stream("two\n"));

            s.awaitSinceMark(t -> t.equals("one\ntwo\nthree\nfour\n"), WAIT);
        }
    }

    @Test
    void anItemWaitingForAMissingPrevIdIsReleasedAfterMessageWait() throws Exception {
        String ch = channel("gap");
        origin.on("/gap", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/gap")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).id("g1").stream("one\n"));
            s.awaitSinceMark(t -> t.equals("one\n"), WAIT);

            long start = System.nanoTime();
            // A no-seq item behind it on the channel goes out at once: once it is there, g3 was held back.
            pub.publish(Publish.item(ch).id("g3").prevId("g2").stream("three\n"),
                    Publish.item(ch).noSeq().stream("marker\n"));
            s.awaitSinceMark(t -> t.contains("marker\n"), WAIT);
            assertThat(s.sinceMark()).as("waits for g2").isEqualTo("one\nmarker\n");

            // message_wait=1000 ms, checked once a second
            s.awaitSinceMark(t -> t.equals("one\nmarker\nthree\n"), Duration.ofSeconds(4));
            assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(0.9);
        }
    }

    @Test
    void noSeqBypassesSequencing() throws Exception {
        String ch = channel("noseq");
        origin.on("/noseq", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/noseq")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).id("n1").stream("one\n"));
            s.awaitSinceMark(t -> t.equals("one\n"), WAIT);
            pub.publish(Publish.item(ch).id("n3").prevId("n2").noSeq().stream("three\n"));

            s.awaitSinceMark(t -> t.equals("one\nthree\n"), Duration.ofMillis(800));
        }
    }

    // ------------------------------------------------------------------ filters

    @Test
    void skipSelfDropsTheSendersOwnMessages() throws Exception {
        String ch = channel("self");
        origin.on("/self", stream("", ch + "; filter=skip-self").header("Grip-Set-Meta", "user=alice"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/self")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).meta("sender", "alice").stream("from alice\n"));
            pub.publish(Publish.item(ch).meta("sender", "bob").stream("from bob\n"));

            s.awaitSinceMark(t -> t.equals("from bob\n"), WAIT);
        }
    }

    @Test
    void withoutTheFilterTheSenderGetsItsOwnMessages() throws Exception {
        String ch = channel("noself");
        origin.on("/noself", stream("", ch).header("Grip-Set-Meta", "user=alice"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/noself")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).meta("sender", "alice").stream("from alice\n"));

            s.awaitSinceMark(t -> t.equals("from alice\n"), WAIT);
        }
    }

    @Test
    void skipUsersDropsMessagesForListedUsers() throws Exception {
        String ch = channel("users");
        origin.on("/users", stream("", ch + "; filter=skip-users").header("Grip-Set-Meta", "user=\"alice\""));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/users")) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).meta("skip_users", "bob, alice").stream("not for alice\n"));
            pub.publish(Publish.item(ch).meta("skip_users", "bob,carol").stream("for alice\n"));

            s.awaitSinceMark(t -> t.equals("for alice\n"), WAIT);
        }
    }

    @Test
    void varSubstReplacesSubscriptionMeta() throws Exception {
        String ch = channel("subst");
        origin.on("/subst", stream("", ch + "; filter=var-subst").header("Grip-Set-Meta", "user=alice"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/subst")) {
            sync(pub, ch, s);
            pub.stream(ch, "hello %(user)s, 100%%\n");

            s.awaitSinceMark(t -> t.equals("hello alice, 100%\n"), WAIT);
        }
    }

    @Test
    void filtersApplyPerSubscriber() throws Exception {
        String ch = channel("per-sub");
        origin.on("/per-sub", r -> stream("", ch + "; filter=skip-self")
                .header("Grip-Set-Meta", "user=" + r.header("X-User").orElse("")));
        Publish pub = pushpin.publisher();

        try (HeldStream alice = HeldStream.open(pushpin.httpPort(), Req.get("/per-sub").header("X-User", "alice"));
                HeldStream bob = HeldStream.open(pushpin.httpPort(), Req.get("/per-sub").header("X-User", "bob"))) {
            sync(pub, ch, alice, bob);
            pub.publish(Publish.item(ch).meta("sender", "alice").stream("alice says\n"));
            pub.publish(Publish.item(ch).meta("sender", "bob").stream("bob says\n"));

            alice.awaitSinceMark(t -> t.equals("bob says\n"), WAIT);
            bob.awaitSinceMark(t -> t.equals("alice says\n"), WAIT);
        }
    }

    // ------------------------------------------------------------------ pushpin-publish

    @Test
    void debianPushpinPublishDeliversToAStream() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PUSHPIN_PUBLISH)), PUSHPIN_PUBLISH + " is not installed");
        String ch = channel("cli");
        origin.on("/cli", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/cli")) {
            sync(pub, ch, s);
            Process p = new ProcessBuilder(PUSHPIN_PUBLISH, "--spec", "http://127.0.0.1:" + pushpin.controlPort(),
                    ch, "from the cli").redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("Published");

            s.awaitSinceMark(t -> t.equals("from the cli\n"), WAIT);

            Process close = new ProcessBuilder(PUSHPIN_PUBLISH, "--spec",
                    "http://127.0.0.1:" + pushpin.controlPort(), "--close", ch).redirectErrorStream(true).start();
            assertThat(close.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(s.awaitEnd(WAIT)).as("--close ends the stream").isTrue();
        }
    }

    // ------------------------------------------------------------------ bad publishes

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON        | {items:                                     | Body is not valid JSON.",
            "not an object   | [1, 2]                                      | Invalid format.",
            "no items        | {\"things\": []}                            | Invalid format: object does not contain 'items'",
            "items not list  | {\"items\": 5}                              | Invalid format: object contains 'items' with wrong type",
            "no formats      | {\"items\": [{\"channel\": \"c\"}]}         | Invalid format: no formats specified"})
    void badPublishesAreRejected(String name, String body, String message) throws Exception {
        HttpResponse<String> r = pushpin.publisher().post("/publish", body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(message + "\n");
    }

    @Test
    void badPublishesDoNotDisturbHeldClients() throws Exception {
        String ch = channel("robust");
        origin.on("/robust", stream("", ch));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/robust")) {
            sync(pub, ch, s);
            assertThat(pub.post("/publish", "{\"items\": [").statusCode()).isEqualTo(400);
            assertThat(pub.post("/publish", "{\"items\": [{\"channel\": \"" + ch + "\"}]}").statusCode())
                    .isEqualTo(400);
            // one bad item rejects the whole request: the good one is not delivered either
            HttpResponse<String> mixed = pub.send(Publish.item(ch).stream("good but rejected\n"),
                    Publish.item(ch).format("http-stream", "{\"action\": \"bogus\"}"));
            assertThat(mixed.statusCode()).isEqualTo(400);
            assertThat(mixed.body()).startsWith("Invalid format");
            assertThat(pub.post("/publish", "\u0000\u0001garbage").statusCode()).isEqualTo(400);

            pub.stream(ch, "still here\n");

            s.awaitSinceMark(t -> t.equals("still here\n"), WAIT);
            assertThat(s.ended()).isFalse();
        }
    }

    @Test
    void publishAnswersPublished() throws Exception {
        HttpResponse<String> r = pushpin.publisher().send(Publish.item(channel("nobody")).stream("x"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Published\n");
    }

    @Test
    void aResponseHoldAndAStreamOnOneChannelEachGetTheirFormat() throws Exception {
        String ch = channel("both");
        origin.on("/both-stream", stream("", ch));
        origin.on("/both-poll", Holds.response(ch, "origin\n"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = open("/both-stream");
                org.pushpin.testing.RawClient poll = org.pushpin.testing.RawClient.connect(pushpin.httpPort())) {
            sync(pub, ch, s);
            poll.send(Req.get("/both-poll"));
            var resp = Holds.publishUntilAnswered(pub, poll,
                    Publish.item(ch).response("long-poll\n").stream("stream\n"));

            assertThat(resp.bodyText()).isEqualTo("long-poll\n");
            s.awaitSinceMark(t -> !t.isEmpty() && t.replace("stream\n", "").isEmpty(), WAIT);
        }
    }

}
