package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.assertNoGripHeaders;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Broken hold instructions (docs/grip.md#instruction-errors): the client gets {@code 502 Error while proxying to
 * origin.} and no hold; debug routes say why. Complements {@code GripRelayTest#badInstructions} (which covers
 * Grip-Hold/Grip-Status/Grip-Timeout syntax and instruct JSON basics) with what only holds use: keep-alive, next
 * link, channels, JSON hold fields; and filter errors while a stream runs.
 */
@Timeout(30)
class BadInstructTest {
    static final String INSTRUCT = "application/grip-instruct";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(), "debug.test,debug " + origin.target())
            .controlApi()
            .build();

    private static Reply hold(String mode) {
        return Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", mode)
                .header("Grip-Channel", "bad-instruct").body("body\n");
    }

    private static Reply instruct(String json) {
        return Reply.status(200).header("Content-Type", INSTRUCT).body(json);
    }

    /**
     * Not errors in 1.36 (verified, so not listed): keep-alive {@code !!!; format=base64} and JSON {@code content-bin}
     * {@code "!!!"} (lenient base64: the hold starts), JSON {@code "timeout": "5"} (a string: ignored, the hold
     * starts) and JSON {@code keep-alive} without content (no keep-alive).
     */
    static Stream<Arguments> badHolds() {
        return Stream.of(
                Arguments.of("Grip-Hold empty", hold("")),
                Arguments.of("Grip-Hold Stream (case matters)", hold("Stream")),
                Arguments.of("Grip-Timeout negative", hold("response").header("Grip-Timeout", "-1")),
                Arguments.of("Grip-Timeout fraction", hold("response").header("Grip-Timeout", "1.5")),
                Arguments.of("keep-alive without data", hold("stream").header("Grip-Keep-Alive", "; timeout=1")),
                Arguments.of("keep-alive format unknown", hold("stream").header("Grip-Keep-Alive", "x; format=hex")),
                Arguments.of("keep-alive timeout not a number", hold("stream")
                        .header("Grip-Keep-Alive", "x; timeout=soon")),
                Arguments.of("keep-alive mode unknown", hold("stream")
                        .header("Grip-Keep-Alive", "x; mode=sometimes")),
                Arguments.of("link without angle brackets", hold("stream")
                        .header("Grip-Link", "/next; rel=next")),
                Arguments.of("link timeout not a number", hold("stream")
                        .header("Grip-Link", "</next>; rel=next; timeout=later")),
                Arguments.of("instruct stream hold, channels not a list", instruct(
                        "{\"hold\": {\"mode\": \"stream\", \"channels\": \"c\"}}")),
                Arguments.of("instruct channel without a name", instruct(
                        "{\"hold\": {\"mode\": \"stream\", \"channels\": [{\"prev-id\": \"1\"}]}}")),
                Arguments.of("instruct meta value not a string", instruct(
                        "{\"hold\": {\"mode\": \"stream\", \"channels\": [{\"name\": \"c\"}], \"meta\": {\"a\": 1}}}")),
                Arguments.of("instruct stream hold with status 500", Reply.status(500)
                        .header("Content-Type", INSTRUCT)
                        .body("{\"hold\": {\"mode\": \"stream\", \"channels\": [{\"name\": \"c\"}]}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHolds")
    void badHoldInstructionGives502(String name, Reply reply) throws Exception {
        origin.on("/bad-hold", reply);

        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse resp = c.exchange(Req.get("/bad-hold"));

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.mediaType()).isEqualTo("text/plain");
            assertThat(resp.bodyText()).isEqualTo("Error while proxying to origin.\n");
            assertThat(resp.complete()).isTrue();
            assertNoGripHeaders(resp);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHolds")
    void badHoldInstructionInDebugModeSaysWhy(String name, Reply reply) throws Exception {
        origin.on("/bad-hold", reply);

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/bad-hold").host("debug.test"));

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).startsWith("Failed to parse accept instructions: ").endsWith("\n");
        assertThat(resp.bodyText().length()).isGreaterThan("Failed to parse accept instructions: \n".length());
    }

    @Test
    void aBadInstructionDoesNotDisturbOtherHolds() throws Exception {
        String ch = channel("survivor");
        origin.on("/survivor", stream("", ch));
        origin.on("/bad-hold", hold("stream").header("Grip-Keep-Alive", "x; format=hex"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/survivor"))) {
            sync(pub, ch, s);
            for (int i = 0; i < 3; i++) {
                assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/bad-hold")).status()).isEqualTo(502);
            }
            pub.stream(ch, "fine\n");
            s.awaitSinceMark(t -> t.equals("fine\n"), WAIT);
        }
    }

    @Test
    void prevIdOnAStreamWithoutNextLinkEndsTheStream() throws Exception {
        String ch = channel("prev-no-link");
        origin.on("/prev-no-link", stream("init\n", ch + "; prev-id=p0"));

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/prev-no-link"))) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.awaitEnd(WAIT)).as("the stream is ended: " + s).isTrue();
        }
    }

    @Test
    void aVarSubstErrorEndsTheStreamAndDebugSaysWhy() throws Exception {
        String ch = channel("subst-error");
        origin.on("/subst-error", stream("init\n", ch + "; filter=var-subst").header("Grip-Set-Meta", "user=al"));
        Publish pub = pushpin.publisher();

        try (HeldStream plain = HeldStream.open(pushpin.httpPort(), Req.get("/subst-error"));
                HeldStream debug = HeldStream.open(pushpin.httpPort(),
                        Req.get("/subst-error").host("debug.test"))) {
            sync(pub, ch, plain, debug);
            pub.stream(ch, "hi %(nobody)s\n");

            assertThat(plain.awaitEnd(WAIT)).as("filter error ends the stream: " + plain).isTrue();
            assertThat(debug.awaitEnd(WAIT)).as("filter error ends the stream: " + debug).isTrue();
            assertThat(plain.sinceMark()).isEmpty();
            assertThat(debug.sinceMark()).startsWith("\n\n").endsWith("\n").hasSizeGreaterThan(3);
        }
    }
}
