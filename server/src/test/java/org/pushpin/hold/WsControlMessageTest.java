package org.pushpin.hold;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.hold.WsControlMessage.FrameType;
import org.pushpin.hold.WsControlMessage.Type;

class WsControlMessageTest {

    @Test
    void subscribeWithFilters() {
        WsControlMessage m = WsControlMessage.parse(
                "{\"type\":\"subscribe\",\"channel\":\"room\",\"filters\":[\"skip-self\",\"var-subst\"]}");
        assertThat(m.type()).isEqualTo(Type.SUBSCRIBE);
        assertThat(m.channel()).isEqualTo("room");
        assertThat(m.filters()).containsExactly("skip-self", "var-subst");
    }

    @Test
    void subscribeWithLastId() {
        assertThat(WsControlMessage.parse("{\"type\":\"subscribe\",\"channel\":\"a\",\"last-id\":\"7\"}")
                .lastId()).isEqualTo("7");
        assertThat(WsControlMessage.parse("{\"type\":\"subscribe\",\"channel\":\"a\",\"last-id\":\"\"}")
                .lastId()).as("empty: none").isNull();
        assertThat(WsControlMessage.parse("{\"type\":\"subscribe\",\"channel\":\"a\"}").lastId()).isNull();
    }

    @Test
    void unsubscribeDetachSessionFlush() {
        assertThat(WsControlMessage.parse("{\"type\":\"unsubscribe\",\"channel\":\"a\"}").channel()).isEqualTo("a");
        assertThat(WsControlMessage.parse("{\"type\":\"detach\"}").type()).isEqualTo(Type.DETACH);
        assertThat(WsControlMessage.parse("{\"type\":\"session\",\"id\":\"s1\"}").name()).isEqualTo("s1");
        assertThat(WsControlMessage.parse("{\"type\":\"session\"}").name()).isNull();
        assertThat(WsControlMessage.parse("{\"type\":\"flush-delayed\"}").type()).isEqualTo(Type.FLUSH_DELAYED);
    }

    @Test
    void setMetaWithAndWithoutValue() {
        WsControlMessage set = WsControlMessage.parse("{\"type\":\"set-meta\",\"name\":\"user\",\"value\":\"alice\"}");
        assertThat(set.name()).isEqualTo("user");
        assertThat(set.value()).isEqualTo("alice");
        assertThat(WsControlMessage.parse("{\"type\":\"set-meta\",\"name\":\"user\"}").value()).isNull();
    }

    @Test
    void keepAliveContentTypesTimeoutAndMode() {
        WsControlMessage text = WsControlMessage.parse("{\"type\":\"keep-alive\",\"content\":\"ka\",\"timeout\":30}");
        assertThat(new String(text.content(), UTF_8)).isEqualTo("ka");
        assertThat(text.frameType()).isEqualTo(FrameType.TEXT);
        assertThat(text.timeout()).isEqualTo(30);
        assertThat(text.interval()).isFalse();

        WsControlMessage bin = WsControlMessage.parse(
                "{\"type\":\"keep-alive\",\"content-bin\":\"AAEC\",\"mode\":\"interval\"}");
        assertThat(bin.content()).containsExactly(0, 1, 2);
        assertThat(bin.frameType()).isEqualTo(FrameType.BINARY);
        assertThat(bin.timeout()).isEqualTo(-1);
        assertThat(bin.interval()).isTrue();

        WsControlMessage ping = WsControlMessage.parse(
                "{\"type\":\"keep-alive\",\"content\":\"\",\"message-type\":\"ping\"}");
        assertThat(ping.frameType()).isEqualTo(FrameType.PING);
        assertThat(ping.content()).isEmpty();

        assertThat(WsControlMessage.parse("{\"type\":\"keep-alive\"}").content()).isNull(); // keep-alive off
    }

    @Test
    void sendDelayed() {
        WsControlMessage m = WsControlMessage.parse(
                "{\"type\":\"send-delayed\",\"content\":\"later\",\"message-type\":\"binary\",\"timeout\":2}");
        assertThat(m.type()).isEqualTo(Type.SEND_DELAYED);
        assertThat(m.frameType()).isEqualTo(FrameType.BINARY);
        assertThat(m.timeout()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "{",
        "[]",
        "\"subscribe\"",
        "null",
        "{} {}",
        "{\"type\":\"subscribe\"} x",
        "{}",
        "{\"type\":null}",
        "{\"type\":1}",
        "{\"type\":\"unknown\"}",
        "{\"type\":\"Subscribe\",\"channel\":\"a\"}",
        "{\"type\":\"subscribe\"}",
        "{\"type\":\"subscribe\",\"channel\":\"\"}",
        "{\"type\":\"subscribe\",\"channel\":5}",
        "{\"type\":\"subscribe\",\"channel\":\"a\",\"filters\":\"skip-self\"}",
        "{\"type\":\"subscribe\",\"channel\":\"a\",\"filters\":[1]}",
        "{\"type\":\"subscribe\",\"channel\":\"a\",\"last-id\":7}",
        "{\"type\":\"unsubscribe\"}",
        "{\"type\":\"session\",\"id\":3}",
        "{\"type\":\"set-meta\"}",
        "{\"type\":\"set-meta\",\"name\":\"\"}",
        "{\"type\":\"set-meta\",\"name\":\"u\",\"value\":true}",
        "{\"type\":\"keep-alive\",\"content\":7}",
        "{\"type\":\"keep-alive\",\"content\":\"x\",\"message-type\":\"close\"}",
        "{\"type\":\"keep-alive\",\"content\":\"x\",\"timeout\":\"10\"}",
        "{\"type\":\"keep-alive\",\"content\":\"x\",\"mode\":\"sometimes\"}",
        "{\"type\":\"send-delayed\",\"content-bin\":[]}",
        "{\"type\":\"send-delayed\",\"content\":\"x\",\"timeout\":-1}",
    })
    void malformedOrUnknownIsIgnoredWithAReason(String json) {
        assertThat(WsControlMessage.parse(json)).isNull();
        assertThat(WsControlMessage.whyInvalid(json)).isNotBlank();
    }

    @Property(tries = 2000)
    void anyTextParsesOrIsIgnoredWithoutThrowing(@ForAll("jsonLike") String in) {
        WsControlMessage m = WsControlMessage.parse(in);
        assertThat(m == null).isEqualTo(WsControlMessage.whyInvalid(in) != null);
        if (m != null) {
            assertThat(m.filters()).isNotNull();
        }
    }

    @Property(tries = 500)
    void unknownTypesAreIgnored(@ForAll("unknownTypes") String type) {
        assertThat(WsControlMessage.parse("{\"type\":\"" + type + "\",\"channel\":\"a\"}")).isNull();
    }

    @Provide
    Arbitrary<String> unknownTypes() {
        List<String> known = List.of("subscribe", "unsubscribe", "detach", "session", "set-meta", "keep-alive",
                "send-delayed", "flush-delayed");
        return Arbitraries.strings().alpha().withChars('-').ofMaxLength(16).filter(s -> !known.contains(s));
    }

    /** Random JSON-ish text: objects built from the real keys and values of every type, mutated, or plain noise. */
    @Provide
    Arbitrary<String> jsonLike() {
        Arbitrary<String> key = Arbitraries.of("type", "channel", "filters", "id", "name", "value", "content",
                "content-bin", "message-type", "timeout", "mode", "x");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("\"subscribe\"", "\"unsubscribe\"", "\"detach\"", "\"session\"", "\"set-meta\"",
                        "\"keep-alive\"", "\"send-delayed\"", "\"flush-delayed\"", "\"text\"", "\"ping\"",
                        "\"interval\"", "\"idle\"", "\"\"", "null", "true", "[]", "[\"skip-self\"]", "[1]", "{}",
                        "1e400", "-5", "0", "3.7", "\"!!!\"", "\"AAEC\""),
                Arbitraries.strings().ofMaxLength(8).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> object = pair.list().ofMaxSize(6).map(ps -> "{" + String.join(",", ps) + "}");
        Arbitrary<String> mutated = Combinators.combine(object, Arbitraries.integers().between(0, 40),
                Arbitraries.chars()).as((o, at, c) -> {
                    int i = Math.min(at, o.length());
                    return o.substring(0, i) + c + o.substring(i);
                });
        return Arbitraries.oneOf(object, mutated, Arbitraries.strings().ofMaxLength(40));
    }
}
