package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * GRIP answers without a hold or a next link (docs/grip.md#no-hold): instruction headers applied and
 * removed, {@code application/grip-instruct} responses, size limits and instruction errors.
 */
@Timeout(30)
class GripRelayTest {
    static final String INSTRUCT = "application/grip-instruct";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(), "debug.test,debug " + origin.target())
            .build();

    private static RawResponse get(String path) throws Exception {
        return RawClient.exchange(pushpin.httpPort(), Req.get(path));
    }

    private static RawResponse getDebug(String path) throws Exception {
        return RawClient.exchange(pushpin.httpPort(), Req.get(path).host("debug.test"));
    }

    private static void assertNoGripHeaders(RawResponse resp) {
        assertThat(resp.headers()).noneMatch(h -> h.name().toLowerCase(Locale.ROOT).startsWith("grip-"));
    }

    private static Reply instruct(String json) {
        return Reply.status(200).header("Content-Type", INSTRUCT).header("X-Origin", "discarded").body(json);
    }

    // ------------------------------------------------------------------ instruction headers

    @ParameterizedTest(name = "Grip-Status: {0} -> {1} {2}")
    @CsvSource({"418, 418, Undefined Reason", "404 Nope, 404, Nope", "201, 201, Created",
            "503 Try Later, 503, Try Later"})
    void gripStatusReplacesTheStatus(String gripStatus, int status, String reason) throws Exception {
        origin.on("/grip/status", Reply.ok("origin body").header("Grip-Status", gripStatus)
                .header("X-Origin", "kept"));

        RawResponse resp = get("/grip/status");

        assertThat(resp.status()).isEqualTo(status);
        assertThat(resp.reason()).isEqualTo(reason);
        assertThat(resp.header("X-Origin")).hasValue("kept");
        assertThat(resp.bodyText()).isEqualTo("origin body");
        assertNoGripHeaders(resp);
    }

    @Test
    void gripHeadersAreRemovedFromTheRelayedResponse() throws Exception {
        origin.on("/grip/strip", Reply.status(200, "Fine Thanks").header("Content-Type", "text/plain")
                .header("Grip-Foo", "a").header("grip-bar", "b").header("GRIP-Channel-Ish", "c")
                .header("X-Origin", "kept").body("body"));

        RawResponse resp = get("/grip/strip");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.reason()).isEqualTo("Fine Thanks");
        assertThat(resp.header("X-Origin")).hasValue("kept");
        assertThat(resp.header("Content-Type")).hasValue("text/plain");
        assertThat(resp.header("Content-Length")).hasValue("4");
        assertThat(resp.bodyText()).isEqualTo("body");
        assertNoGripHeaders(resp);
    }

    @Test
    void gripExposeHeadersKeepsOnlyTheNamedHeaders() throws Exception {
        origin.on("/grip/expose", Reply.ok("x")
                .header("Grip-Expose-Headers", "X-Keep")
                .header("X-Keep", "1")
                .header("X-Drop", "2"));

        RawResponse resp = get("/grip/expose");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.headers("X-Keep")).containsExactly("1");
        assertThat(resp.hasHeader("X-Drop")).isFalse();
        assertThat(resp.hasHeader("Content-Type")).as("not named, so dropped").isFalse();
        assertNoGripHeaders(resp);
        assertThat(resp.bodyText()).isEqualTo("x");
    }

    // ------------------------------------------------------------------ application/grip-instruct

    @Test
    void instructResponseObjectBuildsTheClientResponse() throws Exception {
        origin.on("/grip/instruct", instruct("{\"response\": {\"code\": 202, \"reason\": \"Accepted Later\", "
                + "\"headers\": {\"X-A\": \"1\", \"Content-Type\": \"text/x-json\"}, \"body\": \"hi\\n\"}}"));

        RawResponse resp = get("/grip/instruct");

        assertThat(resp.status()).isEqualTo(202);
        assertThat(resp.reason()).isEqualTo("Accepted Later");
        assertThat(resp.header("X-A")).hasValue("1");
        assertThat(resp.header("Content-Type")).hasValue("text/x-json");
        assertThat(resp.hasHeader("X-Origin")).as("the origin's own headers are discarded").isFalse();
        assertThat(resp.bodyText()).isEqualTo("hi\n");
        assertThat(resp.header("Content-Length")).hasValue("3");
    }

    @Test
    void instructHeadersMayBeAListAndBodyBinary() throws Exception {
        origin.on("/grip/instruct-list", instruct(
                "{\"response\": {\"headers\": [[\"X-A\", \"1\"], [\"X-A\", \"2\"]], \"body-bin\": \"aGk=\"}}"));

        RawResponse resp = get("/grip/instruct-list");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.headers("X-A")).containsExactly("1", "2");
        assertThat(resp.bodyText()).isEqualTo("hi");
    }

    @Test
    void instructCodeTakesTheStandardReason() throws Exception {
        origin.on("/grip/instruct-code", instruct("{\"response\": {\"code\": 201, \"body\": \"made\"}}"));

        RawResponse resp = get("/grip/instruct-code");

        assertThat(resp.status()).isEqualTo(201);
        assertThat(resp.reason()).isEqualTo("Created");
        assertThat(resp.bodyText()).isEqualTo("made");
    }

    @Test
    void instructUnknownKeysAreIgnored() throws Exception {
        origin.on("/grip/instruct-unknown", instruct(
                "{\"whatever\": 1, \"response\": {\"body\": \"ok\", \"extra\": true}}"));

        RawResponse resp = get("/grip/instruct-unknown");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("ok");
        assertThat(resp.hasHeader("X-Origin")).isFalse();
    }

    @Test
    void instructMediaTypeMayCarryParameters() throws Exception {
        origin.on("/grip/instruct-params", Reply.status(200)
                .header("Content-Type", INSTRUCT + "; charset=utf-8")
                .body("{\"response\": {\"body\": \"params ok\"}}"));

        RawResponse resp = get("/grip/instruct-params");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("params ok");
    }

    // ------------------------------------------------------------------ size limits

    @Test
    void gripResponseOfExactly100000BytesIsRelayed() throws Exception {
        String body = "a".repeat(100_000);
        origin.on("/grip/limit", Reply.ok(body).header("Grip-Foo", "x"));

        RawResponse resp = get("/grip/limit");

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo(body);
        assertNoGripHeaders(resp);
    }

    @Test
    void gripResponseOverTheLimitWithoutStreamHoldIs502() throws Exception {
        origin.on("/grip/too-large", Reply.ok("a".repeat(100_001)).header("Grip-Foo", "x"));

        RawResponse resp = get("/grip/too-large");
        RawResponse debug = getDebug("/grip/too-large");

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertThat(debug.status()).isEqualTo(502);
        assertThat(debug.bodyText()).isEqualTo("GRIP instruct response too large from " + origin.target() + "\n");
    }

    @Test
    void requestBodyOver100KbWithAGripAnswerIs400() throws Exception {
        origin.on("/grip/big-request", Reply.ok("grip").header("Grip-Status", "200"));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(),
                Req.post("/grip/big-request").body("b".repeat(100_001)));

        assertThat(resp.status()).isEqualTo(400);
        assertThat(resp.mediaType()).isEqualTo("text/plain");
        assertThat(resp.bodyText()).isEqualTo("Request too large to accept GRIP instruct.\n");
    }

    // ------------------------------------------------------------------ instruction errors

    static Stream<Arguments> badInstructions() {
        return Stream.of(
                Arguments.of("Grip-Hold bogus", Reply.ok("x").header("Grip-Hold", "bogus")),
                Arguments.of("Grip-Status not a number", Reply.ok("x").header("Grip-Status", "abc")),
                Arguments.of("Grip-Timeout not a number", Reply.ok("x").header("Grip-Hold", "response")
                        .header("Grip-Channel", "c").header("Grip-Timeout", "abc")),
                Arguments.of("instruct not JSON", instruct("{not json")),
                Arguments.of("instruct not an object", instruct("[1, 2]")),
                Arguments.of("instruct with status 404", Reply.status(404).header("Content-Type", INSTRUCT)
                        .body("{}")),
                Arguments.of("instruct hold mode bogus", instruct(
                        "{\"hold\": {\"mode\": \"bogus\", \"channels\": [{\"name\": \"c\"}]}}")),
                Arguments.of("instruct hold without channels", instruct("{\"hold\": {\"mode\": \"response\"}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInstructions")
    void badInstructionGives502(String name, Reply reply) throws Exception {
        origin.on("/grip/bad", reply);

        RawResponse resp = get("/grip/bad");

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.mediaType()).isEqualTo("text/plain");
        assertThat(resp.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertNoGripHeaders(resp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInstructions")
    void badInstructionInDebugModeSaysWhy(String name, Reply reply) throws Exception {
        origin.on("/grip/bad", reply);

        RawResponse resp = getDebug("/grip/bad");

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).startsWith("Failed to parse accept instructions: ").endsWith("\n");
        assertThat(resp.bodyText().length()).isGreaterThan("Failed to parse accept instructions: \n".length());
    }
}
