package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pushpin.grip.GripTesting.channels;
import static org.pushpin.grip.GripTesting.error;
import static org.pushpin.grip.GripTesting.keepAlive;
import static org.pushpin.grip.GripTesting.link;
import static org.pushpin.grip.GripTesting.parse;
import static org.pushpin.grip.GripTesting.response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The header form of an instruction (docs/grip.md#instruction-headers). Error messages marked (v) were read off a
 * debug-mode 502 of the reference 1.36; the rest follow its source.
 */
class InstructHeadersTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        // Grip-Hold: exact, case-sensitive, first instance, params not allowed (v)
        "Grip-Hold: foo                        ~ Grip-Hold must be set to either 'response' or 'stream'",
        "Grip-Hold: Response                   ~ Grip-Hold must be set to either 'response' or 'stream'",
        "Grip-Hold: stream; x=1                ~ Grip-Hold must be set to either 'response' or 'stream'",
        "Grip-Hold:                            ~ Grip-Hold must be set to either 'response' or 'stream'",
        "Grip-Hold: foo || Grip-Hold: stream   ~ Grip-Hold must be set to either 'response' or 'stream'",
        // Grip-Timeout (v)
        "Grip-Timeout: 7x                      ~ failed to parse Grip-Timeout",
        "Grip-Timeout:                         ~ failed to parse Grip-Timeout",
        "Grip-Timeout: 99999999999             ~ failed to parse Grip-Timeout",
        "Grip-Timeout: 1.5                     ~ failed to parse Grip-Timeout",
        "Grip-Timeout: 0x10                    ~ failed to parse Grip-Timeout",
        "Grip-Timeout: -1                      ~ Grip-Timeout has invalid value",
        // Grip-Keep-Alive (v); the mode is checked before the timeout, the timeout before the format
        "Grip-Keep-Alive: ; format=raw         ~ Grip-Keep-Alive cannot be empty",
        "Grip-Keep-Alive: x; format=foo        ~ no such Grip-Keep-Alive format 'foo'",
        "Grip-Keep-Alive: x; format=Raw        ~ no such Grip-Keep-Alive format 'Raw'",
        "Grip-Keep-Alive: x; mode=foo          ~ no such Grip-Keep-Alive mode 'foo'",
        "Grip-Keep-Alive: x; mode=Idle         ~ no such Grip-Keep-Alive mode 'Idle'",
        "Grip-Keep-Alive: x; timeout=abc       ~ failed to parse Grip-Keep-Alive timeout value",
        "Grip-Keep-Alive: x; timeout           ~ failed to parse Grip-Keep-Alive timeout value",
        "Grip-Keep-Alive: x; timeout=-5        ~ Grip-Keep-Alive timeout has invalid value",
        "Grip-Keep-Alive: x; timeout=z; mode=q ~ no such Grip-Keep-Alive mode 'q'",
        "Grip-Keep-Alive: x; format=f; timeout=z ~ failed to parse Grip-Keep-Alive timeout value",
        "Grip-Keep-Alive: x\\; format=cstring   ~ failed to parse Grip-Keep-Alive cstring format",
        "Grip-Keep-Alive: x\\x4; format=cstring ~ failed to parse Grip-Keep-Alive cstring format",
        "Grip-Keep-Alive: x\\xZZ; format=cstring ~ failed to parse Grip-Keep-Alive cstring format",
        // Grip-Set-Meta (v)
        "Grip-Set-Meta: a=1,,b=2               ~ Grip-Set-Meta cannot be empty",
        // Grip-Status (v)
        "Grip-Status: abc                      ~ Grip-Status contains invalid status code",
        "Grip-Status: 1000                     ~ Grip-Status contains invalid status code",
        "Grip-Status: -1                       ~ Grip-Status contains invalid status code",
        "Grip-Status: 2OO OK                   ~ Grip-Status contains invalid status code",
        // Grip-Link (v)
        "Grip-Link: <>; rel=next               ~ failed to parse Grip-Link value",
        "Grip-Link: /x; rel=next               ~ failed to parse Grip-Link value",
        "Grip-Link: <x; rel=next               ~ failed to parse Grip-Link value",
        "Grip-Link: <http://x y/>; rel=next    ~ Grip-Link contains invalid link",
        "Grip-Link: <http://[::1/>; rel=next   ~ Grip-Link contains invalid link",
        "Grip-Link: <http://a:b/>; rel=next    ~ Grip-Link contains invalid link",
        "Grip-Link: <http://a:99999/>; rel=next ~ Grip-Link contains invalid link",
        "Grip-Link: </x>; rel=next; timeout=z  ~ failed to parse Grip-Link timeout value",
        "Grip-Link: </x>; rel=next; timeout    ~ failed to parse Grip-Link timeout value",
        "Grip-Link: </x>; rel=next; timeout=-1 ~ Grip-Link timeout has invalid value",
        // checks run in 1.36's order: hold, channels, timeout, keep-alive, meta, status, link
        "Grip-Link: <>; rel=next || Grip-Timeout: x || Grip-Hold: foo ~ Grip-Hold must be set to either 'response' or 'stream'",
        "Grip-Status: x || Grip-Keep-Alive: x; mode=m || Grip-Timeout: x ~ failed to parse Grip-Timeout",
        "Grip-Link: <>; rel=next || Grip-Status: x ~ Grip-Status contains invalid status code",
        "Grip-Status: x || Grip-Set-Meta: ,    ~ Grip-Set-Meta cannot be empty",
    })
    void rejectsMalformedHeaders(String headers, String message) {
        assertThat(error(200, headers, "")).isEqualTo(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                  ~ NONE",
        "Grip-Hold: response                 ~ RESPONSE",
        "Grip-Hold: stream                   ~ STREAM",
        "grip-hold: stream                   ~ STREAM",
        "Grip-Hold: stream || Grip-Hold: foo ~ STREAM",
        "Grip-Channel: a                     ~ NONE",
    })
    void readsHoldMode(String headers, HoldMode mode) throws Exception {
        assertThat(parse(headers).holdMode()).isEqualTo(mode);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "Grip-Channel: a                                  ~ [a]",
        "Grip-Channel: a, b || Grip-Channel: c            ~ [a, b, c]",
        "Grip-Channel: a; prev-id=1                       ~ [a prev=1]",
        "Grip-Channel: a; PREV-ID=1                       ~ [a prev=1]",
        "Grip-Channel: a; prev-id                         ~ [a]",
        "Grip-Channel: a; prev-id=                        ~ '[a prev=]'",
        "Grip-Channel: a; prev-id=\"x,y\", b              ~ '[a prev=x,y, b]'",
        "Grip-Channel: a; filter=skip-self; filter=build-id ~ '[a f=[skip-self, build-id]]'",
        "Grip-Channel: a; Filter=skip-self                ~ [a]",
        "Grip-Channel: a; filter                          ~ '[a f=[]]'",
        "Grip-Channel: a; filter=nope; prev-id=2          ~ '[a prev=2 f=[nope]]'",
        "Grip-Channel: a,,b                               ~ '[a, , b]'",
        "Grip-Channel:                                    ~ []",
        "Grip-Channel: a; prev-id=\"x || Grip-Channel: b  ~ [b]",
        "Grip-Channel: \"q\"                              ~ [\"q\"]",
        "Grip-Channel: caf\u00c3\u00a9; prev-id=\u00e2\u0082\u00ac ~ [café prev=€]",
        "X-Channel: a                                     ~ []",
    })
    void readsChannels(String headers, String expected) throws Exception {
        assertThat(channels(parse(headers))).isEqualTo(expected);
    }

    @Test
    void dropsChannelsOverTheSubscriptionLimitWithAWarning() throws Exception {
        var h = GripTesting.headers("Grip-Hold: stream || Grip-Channel: a, b, c");
        Instruct i = InstructParser.parse(200, "OK", h, new byte[0], GripTesting.REQUEST_URI, 2);
        assertThat(channels(i)).isEqualTo("[a, b]");
        assertThat(i.warnings()).singleElement().asString().contains("too many subscriptions");
        i = InstructParser.parse(200, "OK", h, new byte[0], GripTesting.REQUEST_URI, 3);
        assertThat(channels(i)).isEqualTo("[a, b, c]");
        assertThat(i.warnings()).isEmpty();
        assertThat(InstructParser.parse(200, "OK", h, new byte[0], GripTesting.REQUEST_URI, 0).channels()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                       ~ 55",
        "Grip-Timeout: 0                          ~ 5",
        "Grip-Timeout: 3                          ~ 5",
        "Grip-Timeout: 5                          ~ 5",
        "Grip-Timeout: 60                         ~ 60",
        "Grip-Timeout: +7                         ~ 7",
        "Grip-Timeout: 2147483647                 ~ 2147483647",
        "Grip-Timeout: 30 || Grip-Timeout: x      ~ 30",
    })
    void readsTimeout(String headers, int timeout) throws Exception {
        assertThat(parse(headers).timeout()).isEqualTo(timeout);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                                    ~ none",
        "Grip-Keep-Alive: x                                    ~ x/55/IDLE",
        "Grip-Keep-Alive: x; timeout=10; mode=interval         ~ x/10/INTERVAL",
        "Grip-Keep-Alive: x; TIMEOUT=10; MODE=interval         ~ x/10/INTERVAL",
        "Grip-Keep-Alive: x; timeout=0                         ~ x/1/IDLE",
        "Grip-Keep-Alive: x; mode=; format=                    ~ x/55/IDLE",
        "Grip-Keep-Alive: x; mode=idle; format=raw             ~ x/55/IDLE",
        "Grip-Keep-Alive: \\n; format=cstring                  ~ \\n/55/IDLE",
        "Grip-Keep-Alive: a\\\\b\\r\\n\\x41\\x7d\\q; format=cstring ~ a\\\\b\\r\\nA}/55/IDLE",
        "Grip-Keep-Alive: \\x00\\xff; format=cstring           ~ \\x00\\xff/55/IDLE",
        "Grip-Keep-Alive: aGk=!!aGk; format=base64             ~ hi\\x1a\\x1a/55/IDLE",
        "Grip-Keep-Alive: OiBwaW5nCgo=; format=base64          ~ : ping\\n\\n/55/IDLE",
        "Grip-Keep-Alive: \"quoted\"                           ~ \"quoted\"/55/IDLE",
        "Grip-Keep-Alive: a, b                                 ~ a, b/55/IDLE",
        "Grip-Keep-Alive: x; format=\"raw                      ~ none",
        "Grip-Keep-Alive:                                      ~ none",
        "Grip-Keep-Alive: y || Grip-Keep-Alive: x; mode=bad    ~ y/55/IDLE",
    })
    void readsKeepAlive(String headers, String expected) throws Exception {
        assertThat(keepAlive(parse(headers))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                         ~ http://example.com/p/q/r?x=1 ~ none",
        "Grip-Link: </x>; rel=next                  ~ http://example.com/p/q/r?x=1 ~ http://example.com/x 120",
        "Grip-Link: <s?body=L>; rel=next            ~ http://example.com/p/q/r ~ http://example.com/p/q/s?body=L 120",
        "Grip-Link: <?y=1>; rel=next                ~ http://example.com/p/q/r;s?x=1 ~ http://example.com/p/q/r;s?y=1 120",
        "Grip-Link: <../../../../s>; rel=next       ~ http://example.com/p/q/r ~ http://example.com/s 120",
        "Grip-Link: <./s/./t/../u>; rel=next        ~ http://example.com/p/q/r ~ http://example.com/p/q/s/u 120",
        "Grip-Link: <//other:81/abs>; rel=next      ~ http://example.com/p ~ http://other:81/abs 120",
        "Grip-Link: <https://h/a?b#c>; rel=next     ~ http://example.com/p ~ https://h/a?b#c 120",
        "Grip-Link: <#frag>; rel=next               ~ http://example.com/p/q/r?x=1 ~ http://example.com/p/q/r?x=1#frag 120",
        "Grip-Link: <x>; rel=next                   ~ http://example.com ~ http://example.com/x 120",
        "Grip-Link: </a b>; rel=next                ~ http://example.com/ ~ http://example.com/a%20b 120",
        "Grip-Link: <s?b=L%20M>; rel=next           ~ http://example.com/p/q/r ~ http://example.com/p/q/s?b=L%20M 120",
        "Grip-Link: <s?b=L\u00c3\u00bc>; rel=next   ~ http://example.com/p/q/r ~ http://example.com/p/q/s?b=L%C3%BC 120",
        "Grip-Link: <%zz>; rel=next                 ~ http://example.com/p/q/r ~ http://example.com/p/q/%25zz 120",
        "Grip-Link: <s\"q>; rel=next                ~ http://example.com/p/q/r ~ http://example.com/p/q/s%22q 120",
        "Grip-Link: <s{}^`|\\>; rel=next            ~ http://example.com/p/q/r ~ http://example.com/p/q/s%7B%7D%5E%60%7C%5C 120",
        "Grip-Link: <http://us er@h/s>; rel=next    ~ http://example.com/ ~ http://us%20er@h/s 120",
        "Grip-Link: <http://a_b.c/x>; rel=next      ~ http://example.com/ ~ http://a_b.c/x 120",
        "Grip-Link: <http://a:/>; rel=next          ~ http://example.com/ ~ http://a:/ 120",
        "Grip-Link: <foo:bar>; rel=next             ~ http://example.com/ ~ foo:bar 120",
        "Grip-Link: </x>; rel=prev                  ~ http://example.com/ ~ none",
        "Grip-Link: /x; rel=prev                    ~ http://example.com/ ~ none",
        "Grip-Link: </x>                            ~ http://example.com/ ~ none",
        "Grip-Link: </x>; rel=Next                  ~ http://example.com/ ~ none",
        "Grip-Link: </x>; REL=next                  ~ http://example.com/ ~ http://example.com/x 120",
        "Grip-Link: </x>;rel=\"next\"               ~ http://example.com/ ~ http://example.com/x 120",
        "Grip-Link: </s>; rel=next, </t>; rel=next  ~ http://example.com/ ~ http://example.com/t 120",
        "Grip-Link: </s>; rel=next || Grip-Link: </t>; rel=prev ~ http://example.com/ ~ http://example.com/s 120",
        "Grip-Link: </x>; rel=next; timeout=0       ~ http://example.com/ ~ http://example.com/x 0",
        "Grip-Link: </x>; rel=next; timeout=30      ~ http://example.com/ ~ http://example.com/x 30",
    })
    void readsAndResolvesNextLink(String headers, String requestUri, String expected) throws Exception {
        assertThat(link(parse(200, "OK", headers, "", URI.create(requestUri)))).isEqualTo(expected);
    }

    /** {@code rel=gone} (Pushpin 1.41): resolved like a next link, validated alike, the last one wins. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                        ~ none",
        "Grip-Link: <gone?id=1>; rel=gone          ~ http://example.com/p/q/gone?id=1",
        "Grip-Link: <//other:81/g>; rel=gone       ~ http://other:81/g",
        "Grip-Link: </a>; rel=gone, </b>; rel=gone ~ http://example.com/b",
        "Grip-Link: </n>; rel=next, </g>; rel=gone ~ http://example.com/g",
        "Grip-Link: </g>; rel=Gone                 ~ none",
    })
    void readsAndResolvesGoneLink(String headers, String expected) throws Exception {
        Instruct i = parse(200, "OK", headers, "", URI.create("http://example.com/p/q/r"));
        assertThat(i.goneLink() == null ? "none" : i.goneLink().toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "Grip-Link: <>; rel=gone              ~ failed to parse Grip-Link value",
        "Grip-Link: /x; rel=gone              ~ failed to parse Grip-Link value",
        "Grip-Link: <http://a:b/>; rel=gone   ~ Grip-Link contains invalid link",
    })
    void rejectsMalformedGoneLinks(String headers, String message) {
        assertThat(error(200, headers, "")).isEqualTo(message);
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                    ~ Fine ~ 200 Fine ~ none",
        "''                    ~ ''   ~ 200 OK ~ none",
        "Grip-Status: 201      ~ Fine ~ 201 Created ~ 201 Created",
        "Grip-Status: 201 Made ~ Fine ~ 201 Made ~ 201 Made",
        "Grip-Status: 201  Two ~ Fine ~ '201  Two' ~ '201  Two'",
        "Grip-Status: +201     ~ Fine ~ 201 Created ~ 201 Created",
        "Grip-Status: 418      ~ Fine ~ 418 Undefined Reason ~ 418 Undefined Reason",
        "Grip-Status: 0        ~ Fine ~ 0 Undefined Reason ~ 0 Undefined Reason",
        "Grip-Status: 999 X Y  ~ Fine ~ 999 X Y ~ 999 X Y",
        "Grip-Status:          ~ Fine ~ 200 Fine ~ none",
        "Grip-Status: 204 || Grip-Status: 500 ~ Fine ~ 204 No Content ~ 204 No Content",
    })
    void appliesGripStatus(String headers, String originReason, String status, String override) throws Exception {
        Instruct i = parse(200, originReason, headers, "", GripTesting.REQUEST_URI);
        assertThat(i.response().code() + " " + i.response().reason()).isEqualTo(status);
        assertThat(i.status() == null ? "none" : i.status().code() + " " + i.status().reason()).isEqualTo(override);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        // every Grip-* and hop header goes; the rest keep their order and case (v)
        "X-A: 1 || Grip-Foo: 1 || Content-Encoding: identity || Keep-Alive: timeout=5 || Connection: close"
                + " || Transfer-Encoding: chunked || Content-Length: 4 || grip-lower: x || X-B: 2"
                + " ~ 200 OK [X-A: 1, X-B: 2] body",
        "Grip-Expose-Headers: X-A, x-b || X-A: 1 || X-B: 2 || X-C: 3 ~ 200 OK [X-A: 1, X-B: 2] body",
        "Grip-Expose-Headers: X-A || Grip-Expose-Headers: X-C || X-A: 1 || X-B: 2 || X-C: 3 ~ 200 OK [X-A: 1, X-C: 3] body",
        "Grip-Expose-Headers: X-A, Grip-Hold || Grip-Hold: stream || X-A: 1 ~ 200 OK [X-A: 1] body",
        "Grip-Expose-Headers: || X-A: 1     ~ 200 OK [X-A: 1] body",
        "Grip-Expose-Headers: , || X-A: 1   ~ 200 OK [] body",
        "Grip-Expose-Headers: X-A, Content-Length || X-A: 1 || Content-Length: 4 ~ 200 OK [X-A: 1] body",
        "Grip-Status: 404 || Server: x      ~ 404 Not Found [Server: x] body",
    })
    void buildsTheClientResponse(String headers, String expected) throws Exception {
        assertThat(response(parse(200, "OK", headers, "body", GripTesting.REQUEST_URI))).isEqualTo(expected);
    }

    @Test
    void exposeHeadersIsNullWhenAbsentOrEmpty() throws Exception {
        assertThat(parse("Grip-Hold: stream").exposeHeaders()).isNull();
        assertThat(parse("Grip-Expose-Headers:").exposeHeaders()).isNull();
        assertThat(parse("Grip-Expose-Headers: A, b || Grip-Expose-Headers: C").exposeHeaders())
                .containsExactly("A", "b", "C");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "''                                                      ~ {}",
        "Grip-Set-Meta: user=alice                               ~ {user=alice}",
        "Grip-Set-Meta: user=\"al ice\"                          ~ {user=al ice}",
        "Grip-Set-Meta: a=\"x,y\", b=2 || grip-set-meta: c=3     ~ '{a=x,y, b=2, c=3}'",
        "Grip-Set-Meta: a=1 || Grip-Set-Meta: a=2                ~ {a=2}",
        "Grip-Set-Meta: k=1; j=2                                 ~ {k=1}",
        "Grip-Set-Meta: flag                                     ~ {flag=}",
        "Grip-Set-Meta: a=\"1                                    ~ {}",
        "Grip-Set-Meta: id_format=%(channel)s-\u00c3\u00a9     ~ {id_format=%(channel)s-é}",
    })
    void readsMeta(String headers, String expected) throws Exception {
        assertThat(parse(headers).meta().toString()).isEqualTo(expected);
    }

    @Test
    void keepsTheOriginBodyAndStatusWithoutInstructions() throws Exception {
        Instruct i = InstructParser.parse(500, "Oops", GripTesting.headers("Grip-Foo: 1 || X-A: 1"),
                new byte[] {0, 1, 2}, GripTesting.REQUEST_URI, 20);
        assertThat(i.holdMode()).isEqualTo(HoldMode.NONE);
        assertThat(i.channels()).isEmpty();
        assertThat(i.timeout()).isEqualTo(55);
        assertThat(i.keepAlive()).isNull();
        assertThat(i.nextLink()).isNull();
        assertThat(i.status()).isNull();
        assertThat(i.meta()).isEmpty();
        assertThat(i.warnings()).isEmpty();
        assertThat(response(i)).isEqualTo("500 Oops [X-A: 1] \\x00\\x01\\x02");
        assertThat(i.response().bodyLength()).isEqualTo(3);
    }

    @Test
    void instructAndResponseAreImmutable() throws Exception {
        Instruct i = parse(200, "OK", "Grip-Keep-Alive: ka || Grip-Channel: a", "body", GripTesting.REQUEST_URI);
        i.response().body()[0] = 'X';
        i.keepAlive().data()[0] = 'X';
        assertThat(new String(i.response().body(), StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(keepAlive(i)).isEqualTo("ka/55/IDLE");
        assertThatThrownBy(() -> i.channels().add(new Channel("b", null, java.util.List.of())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> i.meta().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(i).isEqualTo(parse(200, "OK", "Grip-Keep-Alive: ka || Grip-Channel: a", "body",
                GripTesting.REQUEST_URI));
    }
}
