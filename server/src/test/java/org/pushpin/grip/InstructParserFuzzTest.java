package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pushpin.testing.Mutations;

/**
 * Property-based fuzzing of the GRIP instruction parsers: the {@code Grip-*} headers (hold, channels with
 * parameters, timeout, keep-alive, link, meta, status) and {@code application/grip-instruct} JSON bodies, valid
 * ones mutated and cut. Whatever the origin sends, the parser either returns an instruction or throws
 * {@link InstructException} (which the proxy turns into 1.36's 502): never another exception, which would cut the
 * client's connection without an answer.
 */
class InstructParserFuzzTest {
    private static final List<String> HEADER_SEEDS = List.of(
            "Grip-Hold: stream",
            "Grip-Hold: response",
            "Grip-Channel: a, b; prev-id=3; filter=skip-self, c; filter=x",
            "Grip-Timeout: 55",
            "Grip-Keep-Alive: \\n; format=cstring; timeout=20; mode=interval",
            "Grip-Keep-Alive: YQ==; format=base64; timeout=5",
            "Grip-Link: </next?x=1>; rel=next; timeout=10",
            "Grip-Set-Meta: a=1, b=\"x y\"",
            "Grip-Status: 404 Not Found",
            "Grip-Expose-Headers: X-A, X-B",
            "Grip-Channel: \"q,u;o\"; prev-id=\"a b\"");

    private static final List<String> BODY_SEEDS = List.of(
            "{\"hold\":{\"mode\":\"stream\",\"channels\":[{\"name\":\"a\",\"prev-id\":\"1\","
                    + "\"filters\":[\"skip-self\"]}],"
                    + "\"timeout\":30,\"keep-alive\":{\"content\":\"ka\\n\",\"timeout\":20}},"
                    + "\"response\":{\"code\":200,\"reason\":\"OK\",\"headers\":{\"X-A\":\"1\"},\"body\":\"hi\\n\"}}",
            "{\"hold\":{\"mode\":\"response\",\"channels\":[{\"name\":\"b\"}],\"timeout\":5},"
                    + "\"response\":{\"body-bin\":\"aGk=\"}}",
            "{\"hold\":{\"channels\":[{\"name\":\"c\"}],\"meta\":{\"k\":\"v\"}},"
                    + "\"response\":{\"headers\":[[\"X\",\"y\"]]}}");

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> headers() {
        Arbitrary<Map.Entry<String, String>> one = Mutations.textOf(HEADER_SEEDS).map(h -> {
            int colon = h.indexOf(':');
            return colon < 0 ? Map.entry("Grip-Hold", h) : Map.entry(h.substring(0, colon), h.substring(colon + 1));
        });
        Arbitrary<Map.Entry<String, String>> hold = Arbitraries.of("stream", "response", "").map(
                v -> Map.entry("Grip-Hold", v));
        return Combinators.combine(hold, one.list().ofMaxSize(6)).as((h, rest) -> {
            List<Map.Entry<String, String>> all = new ArrayList<>();
            all.add(h);
            all.addAll(rest);
            return all;
        });
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Mutations.of(BODY_SEEDS);
    }

    @Property(tries = 3000)
    void headersEitherParseOrAreRefusedWithAnInstructException(
            @ForAll("headers") List<Map.Entry<String, String>> headers) {
        parseOrRefuse(headers, new byte[0]);
    }

    @Property(tries = 3000)
    void instructBodiesEitherParseOrAreRefusedWithAnInstructException(@ForAll("bodies") byte[] body) {
        parseOrRefuse(List.of(Map.entry("Content-Type", "application/grip-instruct")), body);
    }

    private static void parseOrRefuse(List<Map.Entry<String, String>> headers, byte[] body) {
        try {
            Instruct i = InstructParser.parse(200, "OK", headers, body, GripTesting.REQUEST_URI, 20);
            assertThat(i.channels()).hasSizeLessThanOrEqualTo(20); // connection_subscription_max holds
        } catch (InstructException e) {
            assertThat(e.getMessage()).as("a refusal says why").isNotBlank();
        }
    }

    /** A found case stays a case: the seeds themselves are valid. */
    @Property(tries = 1)
    void theSeedsParse() throws Exception {
        for (String b : BODY_SEEDS) {
            InstructParser.parse(200, "OK", List.of(Map.entry("Content-Type", "application/grip-instruct")),
                    b.getBytes(StandardCharsets.UTF_8), GripTesting.REQUEST_URI, 20);
        }
    }
}
