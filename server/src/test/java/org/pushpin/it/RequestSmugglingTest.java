package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawClient.Closed;
import org.pushpin.testing.RawClient.Outcome;
import org.pushpin.testing.RawClient.Responded;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * A raw-socket corpus of request smuggling cases (RFC 9112 §2.2, §3, §5, §6, §7), each sent on its own connection
 * to the proxy in front of a {@link TestOrigin} that records what it receives. Most cases end in
 * {@link #NEXT}: when proxy and origin frame a message alike it is an ordinary pipelined request whose answer the
 * client gets in order; the danger is the origin seeing it (or any request) without the client getting the matching
 * answer, or after the proxy rejected the message before it.
 *
 * <p>Two outcomes are asserted. {@code reject}: the client gets exactly one {@code 400} and the connection closes
 * (1.36: closing without an answer, or one 4xx, also counts), nothing after the bad message is read, and the origin
 * gets no complete request (a chunked upload whose head was already forwarded must arrive cut short). {@code
 * forward}: the client gets one {@code 200} per request, the origin exactly those requests in the same order, the
 * first with the expected decoded body and never with both {@code Content-Length} and {@code Transfer-Encoding}.
 *
 * <p>Against 1.36 ({@code -Dpushpin.it.server=reference}) cases marked {@code differsIn136} are skipped: 1.36 frames
 * TE.CL and duplicate lengths by the first {@code Content-Length} (the origin then reads the rest as a second
 * request), waits on CL.TE, accepts {@code +5}, bare LF in a chunk extension, a chunk size followed by a space and
 * {@code Transfer-Encoding} in HTTP/1.0 with keep-alive, and rejects some valid input (case-insensitive
 * {@code Chunked}, obs-fold, request lines split by HTAB, VT or two spaces). {@link #knownDeviations} lists what
 * pushpin-java itself still gets wrong; it is disabled until the server is fixed.
 */
@Timeout(180)
class RequestSmugglingTest {
    static final Duration WAIT = Duration.ofSeconds(3);
    /** Sent after a message: a pipelined request if framed alike, a smuggled one if not. */
    static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
    static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    static final String HELLO = "5\r\nhello\r\n0\r\n\r\n";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .build();

    enum Expect { REJECT, FORWARD }

    /**
     * @param body   for FORWARD: the decoded body the origin must get with the first request
     * @param header for FORWARD, optional: {@code "Name: value"} the origin must get
     * @param as136  whether 1.36 behaves the same (else skipped against the reference)
     */
    record Case(String name, String raw, Expect expect, String body, String header, boolean as136) {
        Case differsIn136() {
            return new Case(name, raw, expect, body, header, false);
        }

        Case withHeader(String h) {
            return new Case(name, raw, expect, body, h, as136);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case reject(String name, String raw) {
        return new Case(name, raw, Expect.REJECT, null, null, true);
    }

    static Case forward(String name, String raw, String body) {
        return new Case(name, raw, Expect.FORWARD, body, null, true);
    }

    static String post(String headers, String body) {
        return "POST /s HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" + body;
    }

    static String get(String requestLine, String headers) {
        return requestLine + "\r\nHost: x\r\n" + headers + "\r\n";
    }

    static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n", body + NEXT);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // baselines: the detector sees a pipelined request as such
                forward("baseline: Content-Length, then a pipelined request",
                        post("Content-Length: 5\r\n", "hello" + NEXT), "hello"),
                forward("baseline: chunked, then a pipelined request", chunked(HELLO), "hello"),
                forward("GET whose Content-Length body looks like a request", get("GET /s HTTP/1.1",
                        "Content-Length: " + SMUGGLED.length() + "\r\n") + SMUGGLED, SMUGGLED),
                forward("chunked GET", "GET /s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + HELLO + NEXT, "hello"),
                // §6.1/§6.3: both framings are a smuggling attempt
                reject("CL.TE", post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" + NEXT))
                        .differsIn136(),
                reject("TE.CL", post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                        "8\r\nSMUGGLED\r\n0\r\n\r\n" + NEXT)).differsIn136(),
                // TE.TE obfuscations (§6.1: chunked must be final and only once; §5.1: no space before colon)
                reject("TE: chunked, identity + CL", post("Transfer-Encoding: chunked, identity\r\n"
                        + "Content-Length: 5\r\n", "0\r\n\r\n" + NEXT)),
                reject("TE: chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n" + NEXT)),
                reject("TE with space before colon + CL", post("Transfer-Encoding : chunked\r\nContent-Length: 5\r\n",
                        "0\r\n\r\n" + NEXT)),
                reject("TE with space before colon", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n" + NEXT)),
                reject("TE: xchunked + CL", post("Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n",
                        "0\r\n\r\n" + NEXT)),
                reject("TE: xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n" + NEXT)),
                forward("TE:<HTAB>chunked (HTAB is OWS)", post("Transfer-Encoding:\tchunked\r\n", HELLO + NEXT),
                        "hello"),
                reject("TE:<HTAB>chunked + CL", post("Transfer-Encoding:\tchunked\r\nContent-Length: 5\r\n",
                        "0\r\n\r\n" + NEXT)).differsIn136(),
                reject("TE:<VT>chunked + CL", post("Transfer-Encoding:\u000bchunked\r\nContent-Length: 5\r\n",
                        "0\r\n\r\n" + NEXT)),
                reject("TE:<VT>chunked", post("Transfer-Encoding:\u000bchunked\r\n", "0\r\n\r\n" + NEXT)),
                reject("TE: chunked<VT>", post("Transfer-Encoding: chunked\u000b\r\n", "0\r\n\r\n" + NEXT)),
                reject("two TE lines, chunked first, + CL", post("Transfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n", "0\r\n\r\n" + NEXT)),
                forward("two TE lines, identity then chunked", post("Transfer-Encoding: identity\r\n"
                        + "Transfer-Encoding: chunked\r\n", HELLO + NEXT), "hello").differsIn136(),
                reject("two TE lines, chunked twice", post("Transfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: chunked\r\n", HELLO + NEXT)).differsIn136(),
                forward("TE: Chunked (codings are case-insensitive)", post("Transfer-Encoding: Chunked\r\n",
                        HELLO + NEXT), "hello").differsIn136(),
                forward("TE: chunked, (empty list element)", post("Transfer-Encoding: chunked,\r\n", HELLO + NEXT),
                        "hello").differsIn136(),
                reject("empty TE + CL", post("Transfer-Encoding:\r\nContent-Length: 5\r\n", "hello" + NEXT)),
                reject("TE: \"chunked\" (quoted)", post("Transfer-Encoding: \"chunked\"\r\n", HELLO + NEXT)),
                // §6.3 / §8.6: Content-Length = 1*DIGIT
                reject("two different Content-Lengths", post("Content-Length: 5\r\nContent-Length: 6\r\n",
                        "hello!" + NEXT)).differsIn136(),
                reject("two equal Content-Lengths", post("Content-Length: 5\r\nContent-Length: 5\r\n",
                        "hello" + NEXT)).differsIn136(),
                reject("Content-Length: 5, 5", post("Content-Length: 5, 5\r\n", "hello" + NEXT)),
                reject("Content-Length: +5", post("Content-Length: +5\r\n", "hello" + NEXT)).differsIn136(),
                reject("Content-Length: -5", post("Content-Length: -5\r\n", "hello" + NEXT)),
                reject("Content-Length: 0x5", post("Content-Length: 0x5\r\n", "hello" + NEXT)),
                reject("Content-Length: 5 5", post("Content-Length: 5 5\r\n", "hello" + NEXT)),
                reject("Content-Length: 5.0", post("Content-Length: 5.0\r\n", "hello" + NEXT)),
                reject("Content-Length overflowing 64 bits", post("Content-Length: 99999999999999999999\r\n",
                        "hello" + NEXT)),
                reject("empty Content-Length", post("Content-Length:\r\n", "hello" + NEXT)),
                forward("Content-Length with leading spaces (OWS)", post("Content-Length:    5\r\n", "hello" + NEXT),
                        "hello"),
                forward("Content-Length with trailing spaces (OWS)", post("Content-Length: 5   \r\n", "hello" + NEXT),
                        "hello"),
                forward("Content-Length: 005", post("Content-Length: 005\r\n", "hello" + NEXT), "hello"),
                // §5.2: obs-fold is rejected or replaced by SP
                forward("obs-fold in a header is replaced by SP", get("GET /s HTTP/1.1", "X-Fold: a\r\n b\r\n"), "")
                        .withHeader("X-Fold: a b").differsIn136(),
                reject("obs-fold in TE", post("Transfer-Encoding:\r\n chunked\r\n", HELLO + NEXT)),
                reject("obs-fold in TE + CL", post("Transfer-Encoding: x\r\n chunked\r\nContent-Length: 5\r\n",
                        "0\r\n\r\n" + NEXT)),
                reject("whitespace before the first header (§2.2)", "GET /s HTTP/1.1\r\n X-A: b\r\nHost: x\r\n\r\n"),
                // §2.2: bare LF may be accepted; rejecting is what we do. Bare CR must be rejected or replaced.
                reject("bare LF line endings", "GET /s HTTP/1.1\nHost: x\nX-A: 1\n\n" + NEXT).differsIn136(),
                reject("one bare LF in the head", "GET /s HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n" + NEXT)
                        .differsIn136(),
                reject("bare LF hiding TE beside CL", post("X-A: 1\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 5\r\n", "0\r\n\r\n" + NEXT)).differsIn136(),
                reject("bare CR in a header value", get("GET /s HTTP/1.1", "X-A: a\rb\r\n") + NEXT),
                reject("bare CR hiding TE beside CL", post("X-A: a\rTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 5\r\n", "0\r\n\r\n" + NEXT)),
                // control characters (RFC 9110 §5.5: NUL, CR, LF in values; tokens have no CTLs)
                reject("NUL in the method", get("G\u0000ET /s HTTP/1.1", "") + NEXT),
                reject("NUL in a header value", get("GET /s HTTP/1.1", "X-A: a\u0000b\r\n") + NEXT),
                reject("SOH in a header value", get("GET /s HTTP/1.1", "X-A: a\u0001b\r\n") + NEXT),
                reject("DEL in a header value", get("GET /s HTTP/1.1", "X-A: a\u007fb\r\n") + NEXT),
                reject("SOH in a header name", get("GET /s HTTP/1.1", "X\u0001A: b\r\n") + NEXT),
                reject("space in a header name", get("GET /s HTTP/1.1", "X A: b\r\n") + NEXT),
                reject("HTAB inside the request target", get("GET /s\tx HTTP/1.1", "") + NEXT),
                reject("bare CR inside the request target", get("GET /s\rx HTTP/1.1", "") + NEXT),
                // limits: client_buffer_size (8192) bounds the request line and the head
                reject("request line over client_buffer_size", get("GET /s?" + "a".repeat(10_000) + " HTTP/1.1", "")
                        + NEXT),
                reject("header line over client_buffer_size", get("GET /s HTTP/1.1", "X-A: " + "a".repeat(10_000)
                        + "\r\n") + NEXT),
                // §7.1: chunk-size = 1*HEXDIG, chunk-ext quoting, CRLF after chunk data
                reject("chunk size -5", chunked("-5\r\nhello\r\n0\r\n\r\n")),
                reject("chunk size overflowing", chunked("10000000000000005\r\nhello\r\n0\r\n\r\n")),
                reject("chunk size 0x5", chunked("0x5\r\nhello\r\n0\r\n\r\n")),
                reject("chunk size +5", chunked("+5\r\nhello\r\n0\r\n\r\n")),
                reject("chunk size with a leading space", chunked(" 5\r\nhello\r\n0\r\n\r\n")),
                reject("chunk size with a trailing space", chunked("5 \r\nhello\r\n0\r\n\r\n")).differsIn136(),
                reject("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n")),
                forward("chunk extension, quoted", chunked("5;a=\"b\"\r\nhello\r\n0\r\n\r\n"), "hello"),
                reject("chunk extension, unterminated quote", chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n")).differsIn136(),
                reject("chunk extension with a bare LF", chunked("5;a\nxx\r\nhello\r\n0\r\n\r\n")).differsIn136(),
                reject("chunk extension with a bare CR", chunked("5;a\rxx\r\nhello\r\n0\r\n\r\n")),
                reject("chunk data longer than its size", chunked("5\r\nhelloXX\r\n0\r\n\r\n")),
                reject("chunk data ended by a bare LF", chunked("5\r\nhello\n0\r\n\r\n")),
                reject("chunk data without CRLF", chunked("5\r\nhello0\r\n\r\n")),
                reject("chunked framing with bare LFs", chunked("5\nhello\n0\n\n")),
                forward("trailer section", chunked("0\r\nX-T: 1\r\n\r\n"), ""),
                forward("Content-Length in the trailer section is ignored",
                        chunked("5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n"), "hello"),
                // §3: request line
                forward("request line with two spaces (§3 allows whitespace parsing)", get("GET  /s HTTP/1.1", "")
                        + NEXT, "").differsIn136(),
                forward("request line separated by HTAB", get("GET\t/s\tHTTP/1.1", "") + NEXT, "").differsIn136(),
                forward("request line separated by VT", get("GET\u000b/s HTTP/1.1", "") + NEXT, "").differsIn136(),
                forward("empty line before the request line (§2.2)", "\r\n" + get("GET /s HTTP/1.1", "") + NEXT, ""),
                reject("request line with a trailing space", get("GET /s HTTP/1.1 ", "") + NEXT),
                reject("request line without a version", get("GET /s", "") + NEXT),
                reject("version HTTP/1.10", get("GET /s HTTP/1.10", "") + NEXT),
                // §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing
                reject("HTTP/1.0 with TE", "POST /s HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + HELLO + NEXT).differsIn136(),
                reject("HTTP/1.0 keep-alive with TE", "POST /s HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + HELLO + NEXT).differsIn136(),
                reject("HTTP/1.0 keep-alive with TE + CL", "POST /s HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
                        + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + NEXT).differsIn136(),
                // the request pipelined after a rejected one is never processed
                reject("pipelined after a bad Content-Length", post("Content-Length: +5\r\n", "hello") + NEXT)
                        .differsIn136(),
                reject("pipelined after a bad chunk size", chunked("zz\r\nhello\r\n0\r\n\r\n")),
                reject("pipelined after NUL in a header", get("GET /s HTTP/1.1", "X-A: a\u0000b\r\n") + NEXT),
                reject("pipelined after a bad request line", get("GET /s HTTP/1.1 x", "") + NEXT),
                reject("pipelined after space before colon", get("GET /s HTTP/1.1", "X-A : 1\r\n") + NEXT));
    }

    /** What RFC 9112 asks and pushpin-java does not do yet (see each case's name for what it does instead). */
    static Stream<Case> knownDeviations() {
        return Stream.of(
                // forwarded verbatim to the origin; §3.2 / RFC 3986 allow no CTLs in the target, §3: SHOULD 400
                reject("NUL in the request target (forwarded as is)", get("GET /s\u0000x HTTP/1.1", "") + NEXT),
                reject("SOH in the request target (forwarded as is)", get("GET /s\u0001x HTTP/1.1", "") + NEXT),
                reject("ESC in the request target (forwarded as is)", get("GET /s\u001bx HTTP/1.1", "") + NEXT),
                reject("DEL in the request target (forwarded as is)", get("GET /s\u007fx HTTP/1.1", "") + NEXT),
                // byte 0xE9 reaches the origin as the UTF-8 pair C3 A9
                reject("raw 0xE9 in the request target (forwarded re-encoded)", get("GET /s\u00e9x HTTP/1.1", "")
                        + NEXT),
                // §2.3: HTTP-name is case-sensitive
                reject("version http/1.1 (forwarded as HTTP/1.1)", get("GET /s http/1.1", "") + NEXT),
                reject("version Http/1.1 (forwarded as HTTP/1.1)", get("GET /s Http/1.1", "") + NEXT),
                // §6.1: a coding the server does not apply SHOULD get 501; the origin gets "chunked" only
                reject("TE: gzip, chunked (gzip dropped, body passed undecoded)",
                        post("Transfer-Encoding: gzip, chunked\r\n", HELLO + NEXT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredPerRfc9112(Case c) throws Exception {
        assumeTrue(c.as136() || !PushpinServerExtension.againstReference(), "1.36 differs here (class comment)");
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownDeviations")
    void knownDeviations(Case c) throws Exception {
        check(c);
    }

    /** What the client saw on its connection: the responses in order, and whether it closed after them. */
    record Seen(List<RawResponse> responses, boolean closed, List<OriginRequest> atOrigin) {
        @Override
        public String toString() {
            return "client got " + responses + (closed ? ", then close" : ", connection open") + "; origin got "
                    + atOrigin;
        }
    }

    private static Seen send(String raw) throws Exception {
        List<RawResponse> responses = new ArrayList<>();
        Outcome outcome;
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            try {
                c.send(raw);
                outcome = c.outcome(WAIT);
                while (outcome instanceof Responded r) {
                    responses.add(r.response());
                    outcome = c.outcome(Duration.ofSeconds(1));
                }
            } catch (SocketException e) {
                outcome = new Closed("reset: " + e.getMessage());
            }
        }
        // a smuggled request would reach the origin right after the first: a round trip later, look
        RawResponse probe = RawClient.exchange(pushpin.httpPort(), Req.get("/probe"));
        assertThat(probe.status()).as("the server still serves").isEqualTo(200);
        List<OriginRequest> atOrigin = origin.requests().stream().filter(r -> !r.path().equals("/probe")).toList();
        return new Seen(responses, outcome instanceof Closed, atOrigin);
    }

    private static void check(Case c) throws Exception {
        Seen seen = send(c.raw());
        assertThat(seen.atOrigin()).as("forwarded with both framings: %s", seen)
                .noneMatch(r -> r.hasHeader("Content-Length") && r.hasHeader("Transfer-Encoding"));
        if (c.expect() == Expect.REJECT) {
            assertRejected(seen);
        } else {
            assertForwarded(c, seen);
        }
    }

    private static void assertRejected(Seen seen) {
        if (PushpinServerExtension.againstReference()) {
            assertThat(seen.responses()).as("%s", seen).hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(r -> assertThat(r.status()).isBetween(400, 499));
        } else {
            assertThat(seen.responses()).as("%s", seen).hasSize(1);
            assertThat(seen.responses().get(0).status()).as("%s", seen).isEqualTo(400);
            assertThat(seen.responses().get(0).header("Connection")).as("%s", seen).hasValue("close");
        }
        assertThat(seen.closed()).as("closed after the rejection: %s", seen).isTrue();
        // a chunked upload's head may have gone ahead; its body must then be cut short, and nothing follows it
        assertThat(seen.atOrigin()).as("a complete request reached the origin: %s", seen)
                .allSatisfy(r -> assertThat(r.bodyComplete()).isFalse());
    }

    private static void assertForwarded(Case c, Seen seen) {
        String method = c.raw().strip().split("[ \t\u000b]", 2)[0];
        List<String> expected = new ArrayList<>(List.of(method + " /s"));
        if (c.raw().endsWith(NEXT)) {
            expected.add("GET /next");
        }
        // A pooled origin connection the origin closed just as the request went out is retried on a fresh one
        // (no answer came, and the origin saw the body cut short): only complete copies count here.
        List<OriginRequest> atOrigin = seen.atOrigin().stream().filter(r -> r.bodyComplete()
                || seen.atOrigin().stream().noneMatch(o -> o != r && o.bodyComplete()
                        && (o.method() + o.uri()).equals(r.method() + r.uri()))).toList();
        assertThat(atOrigin).as("origin requests: %s", seen)
                .extracting(r -> r.method() + " " + r.uri()).containsExactlyElementsOf(expected);
        assertThat(seen.responses()).as("one answer per origin request, in order: %s", seen)
                .extracting(r -> r.status() + " " + r.bodyText())
                .containsExactlyElementsOf(expected.stream().map(e -> "200 origin " + e).toList());
        assertThat(seen.closed()).as("%s", seen).isFalse();
        OriginRequest first = atOrigin.get(0);
        assertThat(first.bodyComplete()).as("%s", seen).isTrue();
        assertThat(first.bodyText()).as("body as the proxy framed it: %s", seen).isEqualTo(c.body());
        assertThat(first.version()).isEqualTo("HTTP/1.1");
        if (c.header() != null) {
            String[] h = c.header().split(": ", 2);
            assertThat(first.headers(h[0])).as("%s", seen).containsExactly(h[1]);
        }
    }
}
