package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.grip.GripTesting.channels;
import static org.pushpin.grip.GripTesting.error;
import static org.pushpin.grip.GripTesting.keepAlive;
import static org.pushpin.grip.GripTesting.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code application/grip-instruct} form (docs/grip.md#json-instruction-body). Every error message below was read
 * off a debug-mode 502 of the reference 1.36, as were the conversions marked (v).
 */
class InstructJsonTest {
    private static final String CT = "Content-Type: application/grip-instruct";

    private static Instruct json(String extraHeaders, String body) throws InstructException {
        return json(extraHeaders, "OK", body);
    }

    private static Instruct json(String extraHeaders, String reason, String body) throws InstructException {
        String h = extraHeaders.isEmpty() ? CT : CT + " || " + extraHeaders;
        return GripTesting.parse(200, reason, h, body, GripTesting.REQUEST_URI);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "5                                                   ~ failed to parse application/grip-instruct content as JSON",
        "{} x                                                ~ failed to parse application/grip-instruct content as JSON",
        "``                                                  ~ failed to parse application/grip-instruct content as JSON",
        "{\"a\":1,}                                          ~ failed to parse application/grip-instruct content as JSON",
        "{'a':1}                                             ~ failed to parse application/grip-instruct content as JSON",
        "\"str\"                                             ~ failed to parse application/grip-instruct content as JSON",
        "[1]                                                 ~ instruct must be an object",
        "{\"hold\":null}                                     ~ instruct contains 'hold' with wrong type",
        "{\"hold\":[]}                                       ~ instruct contains 'hold' with wrong type",
        "{\"hold\":{\"mode\":\"\",\"channels\":[]}}          ~ hold 'mode' must be set to either 'response' or 'stream'",
        "{\"hold\":{\"mode\":\"Stream\",\"channels\":[]}}    ~ hold 'mode' must be set to either 'response' or 'stream'",
        "{\"hold\":{\"mode\":5,\"channels\":[]}}             ~ hold contains 'mode' with wrong type",
        "{\"hold\":{\"mode\":null,\"channels\":[]}}          ~ hold contains 'mode' with wrong type",
        "{\"hold\":{\"mode\":\"response\"}}                  ~ hold does not contain 'channels'",
        "{\"hold\":{\"channels\":\"x\"}}                     ~ hold contains 'channels' with wrong type",
        "{\"hold\":{\"channels\":null}}                      ~ hold contains 'channels' with wrong type",
        "{\"hold\":{\"channels\":[5]}}                       ~ channel is not an object",
        "{\"hold\":{\"channels\":[{\"x\":1}]}}               ~ channel does not contain 'name'",
        "{\"hold\":{\"channels\":[{\"name\":null}]}}         ~ channel contains 'name' with wrong type",
        "{\"hold\":{\"channels\":[{\"name\":\"a\",\"prev-id\":null}]}} ~ channel contains 'prev-id' with wrong type",
        "{\"hold\":{\"channels\":[{\"name\":\"a\",\"prev-id\":1}]}}    ~ channel contains 'prev-id' with wrong type",
        "{\"hold\":{\"channels\":[{\"name\":\"a\",\"filters\":\"x\"}]}} ~ channel contains 'filters' with wrong type",
        "{\"hold\":{\"channels\":[{\"name\":\"a\",\"filters\":[1]}]}}   ~ filters contains value with wrong type",
        "{\"hold\":{\"channels\":[],\"timeout\":null}}       ~ hold contains 'timeout' with wrong type",
        "{\"hold\":{\"channels\":[],\"timeout\":[1]}}        ~ hold contains 'timeout' with wrong type",
        "{\"hold\":{\"channels\":[],\"timeout\":{}}}         ~ hold contains 'timeout' with wrong type",
        "{\"hold\":{\"channels\":[],\"timeout\":-1}}         ~ hold contains 'timeout' with invalid value",
        "{\"hold\":{\"channels\":[],\"timeout\":\"-3\"}}     ~ hold contains 'timeout' with invalid value",
        "{\"hold\":{\"channels\":[],\"keep-alive\":\"x\"}}   ~ hold contains 'keep-alive' with wrong type",
        "{\"hold\":{\"channels\":[],\"keep-alive\":null}}    ~ hold contains 'keep-alive' with wrong type",
        "{\"hold\":{\"channels\":[],\"keep-alive\":{\"content\":5}}}       ~ keep-alive contains 'content' with wrong type",
        "{\"hold\":{\"channels\":[],\"keep-alive\":{\"content-bin\":5}}}   ~ keep-alive contains 'content-bin' with wrong type",
        "{\"hold\":{\"channels\":[],\"keep-alive\":{\"timeout\":null}}}    ~ keep-alive contains 'timeout' with wrong type",
        "{\"hold\":{\"channels\":[],\"keep-alive\":{\"content\":\"x\",\"timeout\":-2}}} ~ keep-alive contains 'timeout' with invalid value",
        "{\"hold\":{\"channels\":[],\"meta\":[]}}            ~ hold contains 'meta' with wrong type",
        "{\"hold\":{\"channels\":[],\"meta\":{\"a\":1}}}     ~ 'meta' contains 'a' with wrong type",
        "{\"hold\":{\"channels\":[],\"meta\":{\"z\":1,\"b\":null}}} ~ 'meta' contains 'b' with wrong type",
        "{\"response\":5}                                    ~ ``",
        "{\"response\":null}                                 ~ ``",
        "{\"response\":{\"code\":null}}                      ~ response contains 'code' with wrong type",
        "{\"response\":{\"code\":[200]}}                     ~ response contains 'code' with wrong type",
        "{\"response\":{\"code\":1000}}                      ~ response contains 'code' with invalid value",
        "{\"response\":{\"code\":-1}}                        ~ response contains 'code' with invalid value",
        "{\"response\":{\"reason\":5}}                       ~ response contains 'reason' with wrong type",
        "{\"response\":{\"headers\":5}}                      ~ response contains 'headers' with wrong type",
        "{\"response\":{\"headers\":\"X: y\"}}               ~ response contains 'headers' with wrong type",
        "{\"response\":{\"headers\":{\"A\":1}}}              ~ headers contains 'A' with wrong type",
        "{\"response\":{\"headers\":[[\"A\"]]}}              ~ headers contains list with wrong number of elements",
        "{\"response\":{\"headers\":[[\"A\",\"b\",\"c\"]]}}  ~ headers contains list with wrong number of elements",
        "{\"response\":{\"headers\":[5]}}                    ~ headers contains element with wrong type",
        "{\"response\":{\"headers\":[[1,\"x\"]]}}            ~ header contains name element with wrong type",
        "{\"response\":{\"headers\":[[\"x\",1]]}}            ~ header contains value element with wrong type",
        "{\"response\":{\"body\":5}}                         ~ response contains 'body' with wrong type",
        "{\"response\":{\"body-bin\":5}}                     ~ response contains 'body-bin' with wrong type",
        "{\"response\":{\"body-bin\":null,\"body\":\"x\"}}   ~ response contains 'body-bin' with wrong type",
        // hold is read before response
        "{\"response\":5,\"hold\":[]}                        ~ instruct contains 'hold' with wrong type",
        // 1.36 quirk (v): no hold, no link and no response body is answered 502 "filter error: "
        "{}                                                  ~ `filter error: `",
        "{\"response\":{\"code\":204}}                       ~ `filter error: `",
        "{\"unknown\":{\"x\":1}}                             ~ `filter error: `",
    })
    void rejectsMalformedJson(String body, String message) {
        assertThat(error(200, CT, body)).isEqualTo(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {"201", "404", "500", "302"})
    void requiresStatus200(int status) {
        assertThat(error(status, CT, "{}"))
                .isEqualTo("response code for application/grip-instruct content must be 200");
    }

    @Test
    void quirkDoesNotApplyWithAHoldALinkOrABody() throws Exception {
        assertThat(json("", "{\"hold\":{\"channels\":[]}}").response().bodyLength()).isZero();
        assertThat(json("Grip-Link: </n>; rel=next", "{}").response().bodyLength()).isZero();
        assertThat(response(json("", "{\"response\":{\"body\":\"\"}}"))).isEqualTo("200 OK [] ");
        assertThat(response(json("", "{\"response\":{\"body-bin\":\"\"}}"))).isEqualTo("200 OK [] ");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "``                 ~ {\"hold\":{\"channels\":[{\"name\":\"a\"}]}}                     ~ RESPONSE ~ [a]",
        "``                 ~ {\"hold\":{\"mode\":\"stream\",\"channels\":[]}}                 ~ STREAM ~ []",
        "``                 ~ {\"hold\":{\"mode\":\"response\",\"channels\":[{\"name\":\"a\",\"prev-id\":\"1\",\"filters\":[\"skip-self\",\"x\"]}]}} ~ RESPONSE ~ `[a prev=1 f=[skip-self, x]]`",
        "``                 ~ {\"hold\":{\"channels\":[{\"name\":\"a\",\"prev-id\":\"\"}]}}    ~ RESPONSE ~ `[a prev=]`",
        "Grip-Channel: h    ~ {\"hold\":{\"channels\":[{\"name\":\"j\"}]}}                     ~ RESPONSE ~ `[h, j]`",
        "Grip-Hold: stream  ~ {\"hold\":{\"channels\":[]}}                                     ~ RESPONSE ~ []",
        "Grip-Hold: stream  ~ {\"response\":{\"body\":\"x\"}}                                  ~ STREAM ~ []",
        "Grip-Channel: h    ~ {\"response\":{\"body\":\"x\"}}                                  ~ NONE ~ [h]",
        "``                 ~ {\"hold\":{\"channels\":[{\"name\":\"caf\u00e9\"}]}}             ~ RESPONSE ~ [café]",
        "``                 ~ {\"hold\":{\"channels\":[],\"extra\":1},\"other\":[1]}          ~ RESPONSE ~ []",
    })
    void readsHold(String headers, String body, HoldMode mode, String channels) throws Exception {
        Instruct i = json(headers, body);
        assertThat(i.holdMode()).isEqualTo(mode);
        assertThat(channels(i)).isEqualTo(channels);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "10          ~ 10",
        "7.6         ~ 8",
        "7.5         ~ 8",
        "\"10\"      ~ 10",
        "\" 12 \"    ~ 12",
        "\"abc\"     ~ 5",   // (v) a non-numeric string converts to 0
        "true        ~ 5",
        "0           ~ 5",
        "1e2         ~ 100",
    })
    void convertsHoldTimeout(String timeout, int expected) throws Exception {
        assertThat(json("Grip-Timeout: 30", "{\"hold\":{\"channels\":[],\"timeout\":" + timeout + "}}").timeout())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "``                               ~ {\"content\":\"ka\"}                              ~ ka/55/INTERVAL",
        "``                               ~ {\"content\":\"ka\",\"timeout\":10}               ~ ka/10/INTERVAL",
        "``                               ~ {\"content\":\"ka\",\"timeout\":0}                ~ ka/1/INTERVAL",
        "``                               ~ {\"content\":\"ka\",\"timeout\":\"zz\"}           ~ ka/1/INTERVAL",
        "``                               ~ {\"content-bin\":\"aGk=!!aGk\"}                   ~ hi\\x1a\\x1a/55/INTERVAL",
        "``                               ~ {\"content-bin\":\"aGk=\",\"content\":5}          ~ hi/55/INTERVAL",
        "``                               ~ {\"content\":\"\u00e9\\n\"}                       ~ \\xc3\\xa9\\n/55/INTERVAL",
        "``                               ~ {}                                                ~ /55/INTERVAL",
        "Grip-Keep-Alive: h; timeout=20   ~ {\"timeout\":7}                                  ~ h/7/IDLE",
        "Grip-Keep-Alive: h; timeout=20   ~ {\"content\":\"j\"}                               ~ j/55/IDLE",
        "Grip-Keep-Alive: h; mode=interval ~ {\"content\":\"j\"}                              ~ j/55/INTERVAL",
    })
    void readsKeepAlive(String headers, String keepAlive, String expected) throws Exception {
        assertThat(keepAlive(json(headers, "{\"hold\":{\"channels\":[],\"keep-alive\":" + keepAlive + "}}")))
                .isEqualTo(expected);
    }

    @Test
    void headerKeepAliveSurvivesJsonWithoutOne() throws Exception {
        assertThat(keepAlive(json("Grip-Keep-Alive: h", "{\"hold\":{\"channels\":[]}}"))).isEqualTo("h/55/IDLE");
    }

    @Test
    void jsonMetaFollowsHeaderMetaInKeyOrder() throws Exception {
        Instruct i = json("Grip-Set-Meta: user=h, keep=1",
                "{\"hold\":{\"channels\":[],\"meta\":{\"user\":\"j\",\"b\":\"2\",\"a\":\"1\"}}}");
        assertThat(i.meta().toString()).isEqualTo("{user=j, keep=1, a=1, b=2}");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        // code conversions (v)
        "``                    ~ {\"code\":\"abc\",\"body\":\"x\"}      ~ 0 Undefined Reason [] x",
        "``                    ~ {\"code\":201.6,\"body\":\"x\"}        ~ 202 Accepted [] x",
        "``                    ~ {\"code\":201.5,\"body\":\"x\"}        ~ 202 Accepted [] x",
        "``                    ~ {\"code\":true,\"body\":\"x\"}         ~ 1 Undefined Reason [] x",
        "``                    ~ {\"code\":\"404\",\"body\":\"x\"}      ~ 404 Not Found [] x",
        "``                    ~ {\"code\":\" 404 \",\"body\":\"x\"}    ~ 404 Not Found [] x",
        "``                    ~ {\"code\":0,\"body\":\"x\"}            ~ 0 Undefined Reason [] x",
        "``                    ~ {\"code\":999,\"reason\":\"Big\",\"body\":\"x\"} ~ 999 Big [] x",
        // reasons (v): no code keeps the origin's; a code resets it; an empty reason changes nothing
        "``                    ~ {\"body\":\"x\"}                        ~ 200 Fine [] x",
        "``                    ~ {\"reason\":\"\",\"body\":\"x\"}        ~ 200 Fine [] x",
        "``                    ~ {\"code\":200,\"body\":\"x\"}           ~ 200 OK [] x",
        "``                    ~ {\"reason\":\"Great\",\"body\":\"x\"}   ~ 200 Great [] x",
        "Grip-Status: 202      ~ {\"body\":\"x\"}                        ~ 202 Accepted [] x",
        "Grip-Status: 202 Yes  ~ {\"reason\":\"Yo\",\"body\":\"x\"}      ~ 202 Yo [] x",
        "Grip-Status: 202 Yes  ~ {\"code\":203,\"body\":\"x\"}           ~ 203 Non-Authoritative Information [] x",
        // headers (v): an object is walked in key order; a list keeps order and duplicates; the origin's are gone;
        // Grip-* given here do reach the client; framing headers never do
        "X-A: 1                ~ {\"headers\":{\"Zed\":\"1\",\"Alpha\":\"2\",\"beta\":\"3\",\"Content-Length\":\"99\",\"Connection\":\"close\",\"Grip-X\":\"y\"},\"body\":\"x\"} ~ 200 Fine [Alpha: 2, Grip-X: y, Zed: 1, beta: 3] x",
        "``                    ~ {\"headers\":[[\"Zed\",\"1\"],[\"Alpha\",\"2\"],[\"Zed\",\"3\"]],\"body\":\"x\"} ~ 200 Fine [Zed: 1, Alpha: 2, Zed: 3] x",
        "``                    ~ {\"headers\":{},\"body\":\"x\"}         ~ 200 Fine [] x",
        "``                    ~ {\"headers\":{\"X\":\"\u00fc\"},\"body\":\"x\"} ~ 200 Fine [X: \u00c3\u00bc] x",
        // bodies (v)
        "``                    ~ {\"body-bin\":\"aGk=!!aGk\",\"body\":\"ignored\"} ~ 200 Fine [] hi\\x1a\\x1a",
        "``                    ~ {\"body\":\"\u00fc\\n\"}                 ~ 200 Fine [] \\xc3\\xbc\\n",
        "``                    ~ {\"body\":\"x\",\"unknown\":[1]}         ~ 200 Fine [] x",
    })
    void buildsTheClientResponse(String headers, String response, String expected) throws Exception {
        assertThat(response(json(headers, "Fine", "{\"response\":" + response + "}"))).isEqualTo(expected);
    }

    @Test
    void discardsTheOriginBodyAndHeaders() throws Exception {
        Instruct i = GripTesting.parse(200, "OK", CT + " || X-A: 1",
                "{\"hold\":{\"channels\":[{\"name\":\"a\"}]}}", GripTesting.REQUEST_URI);
        assertThat(response(i)).isEqualTo("200 OK [] ");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        // the instruct parser compares the trimmed first parameter exactly (case-sensitive)
        "Content-Type: application/grip-instruct                      ~ JSON",
        "Content-Type: application/grip-instruct; charset=utf-8       ~ JSON",
        "Content-Type: application/grip-instruct ; charset=utf-8      ~ JSON",
        "Content-Type: Application/Grip-Instruct || Grip-X: 1        ~ RAW",
        "Content-Type: text/plain || Content-Type: application/grip-instruct ~ RAW",
        "Content-Type: application/grip-instruct; x=\"broken        ~ RAW",
    })
    void usesJsonOnlyForTheInstructMediaType(String headers, String form) throws Exception {
        String body = "{\"response\":{\"body\":\"json\"}}";
        Instruct i = GripTesting.parse(200, "OK", headers, body, GripTesting.REQUEST_URI);
        assertThat(new String(i.response().body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(form.equals("JSON") ? "json" : body);
    }
}
