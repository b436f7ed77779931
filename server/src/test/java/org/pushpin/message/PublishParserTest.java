package org.pushpin.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an accepted item holds: defaults, decoding, orders (the error texts are in PublishParserTableTest). */
class PublishParserTest {
    private static PublishItem one(String itemJson) throws Exception {
        List<PublishItem> items = PublishParser.parseRequest(
                ("{\"items\":[" + itemJson + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void itemFieldsAndDefaults() throws Exception {
        PublishItem i = one("{\"channel\":\"c\",\"http-stream\":{\"content\":\"x\"}}");
        assertThat(i.channel()).isEqualTo("c");
        assertThat(i.id()).isNull();
        assertThat(i.prevId()).isNull();
        assertThat(i.meta()).isEmpty();
        assertThat(i.noSeq()).isFalse();
        assertThat(i.size()).isEqualTo(-1);
        assertThat(i.httpResponse()).isNull();
        assertThat(i.wsMessage()).isNull();
        assertThat(i.httpStream().action()).isEqualTo(Action.SEND);
        assertThat(text(i.httpStream().content())).isEqualTo("x");
        assertThat(i.httpStream().contentFilters()).isEmpty();

        i = one("{\"channel\":\"ch\",\"id\":\"i2\",\"prev-id\":\"i1\",\"meta\":{\"sender\":\"bob\",\"a\":\"\"},"
                + "\"no-seq\":true,\"size\":\"42\",\"unknown\":[1],\"formats\":{\"http-stream\":{\"content\":\"\"}}}");
        assertThat(i.id()).isEqualTo("i2");
        assertThat(i.prevId()).isEqualTo("i1");
        assertThat(i.meta()).isEqualTo(Map.of("sender", "bob", "a", ""));
        assertThat(i.noSeq()).isTrue();
        assertThat(i.size()).isEqualTo(42);
        assertThat(i.httpStream().content()).isEmpty();
    }

    @Test
    void formatsKeyWinsOverTopLevelFormats() throws Exception {
        PublishItem i = one("{\"channel\":\"c\",\"formats\":{\"ws-message\":{\"content\":\"w\"}},"
                + "\"http-stream\":{\"content\":\"ignored\"}}");
        assertThat(i.httpStream()).isNull();
        assertThat(text(i.wsMessage().content())).isEqualTo("w");
    }

    @Test
    void unknownFormatOnlyIsAcceptedAndDeliversNothing() throws Exception {
        PublishItem i = one("{\"channel\":\"c\",\"formats\":{\"foo\":{}}}");
        assertThat(i.httpResponse()).isNull();
        assertThat(i.httpStream()).isNull();
        assertThat(i.wsMessage()).isNull();
    }

    @Test
    void httpResponseSend() throws Exception {
        PublishItem i = one("{\"channel\":\"c\",\"http-response\":{\"code\":404,\"reason\":\"Nope\","
                + "\"headers\":[[\"X-B\",\"2\"],[\"X-A\",\"1\"],[\"X-B\",\"3\"]],\"body\":\"h\u00e9\","
                + "\"content-filters\":[\"skip-self\"]}}");
        HttpResponseFormat f = i.httpResponse();
        assertThat(f.action()).isEqualTo(Action.SEND);
        assertThat(f.code()).isEqualTo(404);
        assertThat(f.reason()).isEqualTo("Nope");
        assertThat(f.headers()).containsExactly(Map.entry("X-B", "2"), Map.entry("X-A", "1"), Map.entry("X-B", "3"));
        assertThat(f.body()).isEqualTo("h\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(f.bodyPatch()).isNull();
        assertThat(f.contentFilters()).containsExactly("skip-self");
    }

    @Test
    void httpResponseDefaultsAndObjectHeadersInKeyOrder() throws Exception {
        HttpResponseFormat f = one("{\"channel\":\"c\",\"http-response\":{\"body\":\"\",\"reason\":\"\","
                + "\"headers\":{\"b\":\"2\",\"C\":\"3\",\"a\":\"1\"}}}").httpResponse();
        assertThat(f.code()).isEqualTo(200);
        assertThat(f.reason()).isNull(); // empty means the standard phrase
        assertThat(f.headers()).containsExactly(Map.entry("C", "3"), Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void bodyBinWinsAndIsDecodedLeniently() throws Exception {
        HttpResponseFormat f = one("{\"channel\":\"c\",\"http-response\":{\"body\":\"no\","
                + "\"body-bin\":\"aGVs\\nbG8=\"}}").httpResponse();
        assertThat(text(f.body())).isEqualTo("hello");
    }

    @Test
    void bodyPatchIsKeptAsJson() throws Exception {
        HttpResponseFormat f = one("{\"channel\":\"c\",\"http-response\":{\"body-patch\":"
                + "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":{\"b\":[1,2]}}],\"code\":\"201\"}}").httpResponse();
        assertThat(f.body()).isNull();
        assertThat(f.code()).isEqualTo(201);
        assertThat(f.bodyPatch()).isEqualTo(new ObjectMapper().readTree(
                "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":{\"b\":[1,2]}}]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true|1", "false|0", "999.4|999", "-0.5|0", "4294967496|200", "4294967296|0", "1e19|0",
        "\"404\"|404", "\"abc\"|0", "\" 404 \"|404", "\"+404\"|404", "\"0404\"|404", "\"4294967496\"|200",
        "\"99999999999999999999\"|0", "\"4e2\"|0", "\"\"|0",
    })
    void codeConvertsLikeQt(String json, int expected) throws Exception {
        assertThat(one("{\"channel\":\"c\",\"http-response\":{\"body\":\"\",\"code\":" + json + "}}")
                .httpResponse().code()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aGk=|hi", "aGk|hi", "a G k =|hi", "!!!|''", "''|''", "aA|h", "a|''", "aGk=\\n|hi",
    })
    void base64IsForgiving(String b64, String expected) throws Exception {
        assertThat(text(one("{\"channel\":\"c\",\"http-stream\":{\"content-bin\":\"" + b64 + "\"}}")
                .httpStream().content())).isEqualTo(expected);
    }

    @Test
    void httpStreamActions() throws Exception {
        HttpStreamFormat close = one("{\"channel\":\"c\",\"http-stream\":{\"action\":\"close\",\"content\":5}}")
                .httpStream();
        assertThat(close.action()).isEqualTo(Action.CLOSE);
        assertThat(close.content()).isEmpty();
        assertThat(one("{\"channel\":\"c\",\"http-stream\":{\"action\":\"hint\"}}").httpStream().action())
                .isEqualTo(Action.HINT);
        assertThat(one("{\"channel\":\"c\",\"http-response\":{\"action\":\"close\"}}").httpResponse().action())
                .isEqualTo(Action.CLOSE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"content\":\"t\"}|TEXT|t", "{\"content-bin\":\"Yg==\"}|BINARY|b",
        "{\"type\":\"text\",\"content-bin\":\"Yg==\"}|TEXT|b", "{\"type\":\"binary\",\"content\":\"t\"}|BINARY|t",
        "{\"type\":\"ping\"}|PING|''", "{\"type\":\"pong\",\"content\":\"p\"}|PONG|p",
        "{\"content\":\"t\",\"content-bin\":\"Yg==\"}|BINARY|b",
    })
    void wsMessageTypes(String format, WsMessageFormat.Type type, String content) throws Exception {
        WsMessageFormat f = one("{\"channel\":\"c\",\"ws-message\":" + format + "}").wsMessage();
        assertThat(f.action()).isEqualTo(Action.SEND);
        assertThat(f.type()).isEqualTo(type);
        assertThat(text(f.content())).isEqualTo(content);
        assertThat(f.closeCode()).isEqualTo(-1);
    }

    @Test
    void wsMessageClose() throws Exception {
        WsMessageFormat f = one("{\"channel\":\"c\",\"ws-message\":{\"action\":\"close\",\"code\":4000,"
                + "\"reason\":\"bye\"}}").wsMessage();
        assertThat(f.action()).isEqualTo(Action.CLOSE);
        assertThat(f.closeCode()).isEqualTo(4000);
        assertThat(f.closeReason()).isEqualTo("bye");
        f = one("{\"channel\":\"c\",\"ws-message\":{\"action\":\"close\",\"reason\":\"\"}}").wsMessage();
        assertThat(f.closeCode()).isEqualTo(-1);
        assertThat(f.closeReason()).isNull();
    }

    @Test
    void refreshIsReadInEveryFormat() throws Exception {
        // Pushpin 1.38+ reads it whatever the format (its payload fields unread, as for hint); only
        // WebSocket-over-HTTP connections act on it
        PublishItem item = one("{\"channel\":\"c\",\"formats\":{\"ws-message\":{\"action\":\"refresh\"},"
                + "\"http-stream\":{\"action\":\"refresh\"},\"http-response\":{\"action\":\"refresh\"}}}");
        assertThat(item.wsMessage().action()).isEqualTo(Action.REFRESH);
        assertThat(item.httpStream().action()).isEqualTo(Action.REFRESH);
        assertThat(item.httpResponse().action()).isEqualTo(Action.REFRESH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("{\"channel\":\"c\",\"http-stream\":"
                + "{\"action\":\"refreshh\"}}")).isInstanceOf(PublishFormatException.class);
    }

    @Test
    void manyItemsKeepTheirOrder() throws Exception {
        List<PublishItem> items = PublishParser.parseRequest(("{\"items\":["
                + "{\"channel\":\"a\",\"http-stream\":{\"content\":\"1\"}},"
                + "{\"channel\":\"b\",\"http-stream\":{\"content\":\"2\"}},"
                + "{\"channel\":\"a\",\"http-stream\":{\"content\":\"3\"}}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(items).extracting(PublishItem::channel).containsExactly("a", "b", "a");
    }

    @Test
    void singleItemWithOutsideChannel() throws Exception {
        byte[] json = "{\"channel\":\"inner\",\"http-stream\":{\"content\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(PublishParser.parseItem(json, "outer").channel()).isEqualTo("outer");
        assertThat(PublishParser.parseItem(json, "").channel()).isEqualTo("inner");
        byte[] noChannel = "{\"http-stream\":{\"content\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(PublishParser.parseItem(noChannel, "outer").channel()).isEqualTo("outer");
        assertThatThrownBy(() -> PublishParser.parseItem(noChannel, null))
                .isInstanceOf(PublishFormatException.class)
                .hasMessage("Invalid format: publish item object does not contain 'channel'")
                .extracting(e -> ((PublishFormatException) e).detail())
                .isEqualTo("publish item object does not contain 'channel'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''", "' '", "nul", "{\"items\":[]", "{\"items\":[]}}", "\u00ff", "[1,]", "{\"a\":NaN}", "// c\n{}",
    })
    void malformedJson(String body) {
        assertThatThrownBy(() -> PublishParser.parseRequest(body.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(PublishFormatException.class)
                .hasMessage("Body is not valid JSON.")
                .extracting(e -> ((PublishFormatException) e).detail()).isNull();
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] body = "{\"items\":[{\"channel\":\"\u00ff\"}]}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> PublishParser.parseRequest(body)).hasMessage("Body is not valid JSON.");
    }

    @Test
    void byteOrderMarkIsAllowed() throws Exception {
        byte[] body = "\ufeff{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(PublishParser.parseRequest(body)).isEmpty();
    }
}
