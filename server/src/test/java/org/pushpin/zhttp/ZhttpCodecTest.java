package org.pushpin.zhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.tnet.TnetString;

class ZhttpCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] t(Map<String, Object> dict) {
        byte[] tnet = TnetString.encode(dict);
        byte[] out = new byte[tnet.length + 1];
        out[0] = 'T';
        System.arraycopy(tnet, 0, out, 1, tnet.length);
        return out;
    }

    @Test
    void aStreamRequestCarriesWhatPushpinSends() throws Exception {
        byte[] wire = ZhttpCodec.encode(new ZhttpRequestPacket(b("proxy_1"), b("7"), 0, ZhttpType.DATA, "GET",
                "http://example.com/a?b", List.of(Map.entry("Host", "example.com")), new byte[0], false, true, 200_000,
                -1, true, true));
        assertThat(wire[0]).isEqualTo((byte) 'T');
        Map<String, Object> m = TnetString.parseDict(wire, 1, wire.length - 1);
        assertThat(m.keySet()).containsExactlyInAnyOrder("from", "id", "seq", "method", "uri", "headers", "body",
                "stream", "credits", "ext", "ignore-policies");
        assertThat((byte[]) m.get("uri")).asString().isEqualTo("http://example.com/a?b");
        assertThat(m.get("seq")).isEqualTo(0L);
        assertThat(m.get("credits")).isEqualTo(200_000L);
        assertThat(m.get("stream")).isEqualTo(true);
        assertThat(m.get("ext")).isEqualTo(Map.of("multi", true));
        @SuppressWarnings("unchecked")
        List<List<byte[]>> headers = (List<List<byte[]>>) m.get("headers");
        assertThat(headers.get(0).get(0)).asString().isEqualTo("Host");
    }

    @Test
    void aRequestModeRequestHasNoSequenceAndAMaxSize() throws Exception {
        byte[] wire = ZhttpCodec.encode(new ZhttpRequestPacket(b("p"), b("1"), -1, ZhttpType.DATA, "POST", "http://h/",
                List.of(), b("x"), false, false, -1, 1_000_000, false, false));
        Map<String, Object> m = TnetString.parseDict(wire, 1, wire.length - 1);
        assertThat(m).doesNotContainKeys("seq", "stream", "credits", "type", "ext", "ignore-policies");
        assertThat(m.get("max-size")).isEqualTo(1_000_000L);
    }

    @Test
    void controlPacketsNameTheirType() throws Exception {
        byte[] wire = ZhttpCodec.encode(ZhttpRequestPacket.control(b("p"), b("1"), 3, ZhttpType.CREDIT, 500));
        Map<String, Object> m = TnetString.parseDict(wire, 1, wire.length - 1);
        assertThat((byte[]) m.get("type")).asString().isEqualTo("credit");
        assertThat(m.get("credits")).isEqualTo(500L);
        assertThat(m.get("seq")).isEqualTo(3L);
    }

    @Test
    void readsAResponse() throws Exception {
        ZhttpResponsePacket p = ZhttpCodec.decode(t(Map.of("from", "svc", "id", "7", "seq", 0, "code", 200,
                "reason", "OK", "headers", List.of(List.of("Content-Type", "text/plain")), "body", "hi",
                "more", true, "credits", 10)), 0);
        assertThat(p.type()).isEqualTo(ZhttpType.DATA);
        assertThat(p.from()).asString().isEqualTo("svc");
        assertThat(p.ids()).hasSize(1);
        assertThat(p.ids().get(0).id()).asString().isEqualTo("7");
        assertThat(p.ids().get(0).seq()).isZero();
        assertThat(p.code()).isEqualTo(200);
        assertThat(p.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
        assertThat(p.body()).asString().isEqualTo("hi");
        assertThat(p.more()).isTrue();
        assertThat(p.credits()).isEqualTo(10);
    }

    @Test
    void readsSeveralIdsEachWithItsSequence() throws Exception {
        ZhttpResponsePacket p = ZhttpCodec.decode(t(Map.of("from", "svc", "type", "keep-alive",
                "id", List.of(Map.of("id", "1", "seq", 4), Map.of("id", "2", "seq", 9)))), 0);
        assertThat(p.type()).isEqualTo(ZhttpType.KEEP_ALIVE);
        assertThat(p.ids()).extracting(ZhttpResponsePacket.Id::seq).containsExactly(4, 9);
        assertThat(p.body()).isEmpty();
    }

    @Test
    void readsAnErrorsCondition() throws Exception {
        ZhttpResponsePacket p = ZhttpCodec.decode(t(Map.of("id", "1", "type", "error",
                "condition", "remote-connection-failed")), 0);
        assertThat(p.type()).isEqualTo(ZhttpType.ERROR);
        assertThat(p.condition()).isEqualTo("remote-connection-failed");
    }

    @Test
    void theInSocketsAddressIsSkipped() throws Exception {
        byte[] packet = t(Map.of("id", "1", "code", 204));
        byte[] msg = new byte[packet.length + 8];
        System.arraycopy(b("proxy_1 "), 0, msg, 0, 8);
        System.arraycopy(packet, 0, msg, 8, packet.length);
        assertThat(ZhttpCodec.payloadOffset(msg)).isEqualTo(8);
        assertThat(ZhttpCodec.decode(msg, 8).code()).isEqualTo(204);
        assertThat(ZhttpCodec.payloadOffset(b("no-space"))).isEqualTo(-1);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no T prefix", TnetString.encode(Map.of("id", "1")), "no T prefix"),
                Arguments.of("empty", new byte[0], "no T prefix"),
                Arguments.of("not a tnetstring", b("Tgarbage"), "bad tnetstring"),
                Arguments.of("trailing bytes", b("T1:1,}x"), "bad tnetstring"),
                Arguments.of("not a dict", b("T3:abc,"), "not a dict"),
                Arguments.of("no id", t(Map.of("code", 1)), "no id"),
                Arguments.of("id a number", t(Map.of("id", 1)), "id is neither"),
                Arguments.of("id list with a number", t(Map.of("id", List.of(1))), "not a dict"),
                Arguments.of("id list item without id", t(Map.of("id", List.of(Map.of("seq", 1)))), "without id"),
                Arguments.of("unknown type", t(Map.of("id", "1", "type", "nope")), "unknown type nope"),
                Arguments.of("code a string", t(Map.of("id", "1", "code", "abcd")), "code is not"),
                Arguments.of("negative seq", t(Map.of("id", "1", "seq", -1)), "seq is not"),
                Arguments.of("huge credits", t(Map.of("id", "1", "credits", 1L << 40)), "credits is not"),
                Arguments.of("more not a boolean", t(Map.of("id", "1", "more", 1)), "more is not a boolean"),
                Arguments.of("body a list", t(Map.of("id", "1", "body", List.of())), "body is not a string"),
                Arguments.of("headers not a list", t(Map.of("id", "1", "headers", "x")), "headers is not a list"),
                Arguments.of("header not a pair", t(Map.of("id", "1", "headers", List.of(List.of("Host")))),
                        "not a pair"),
                Arguments.of("header value a number", t(Map.of("id", "1", "headers", List.of(List.of("A", 1)))),
                        "not a pair"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPacketsSayWhatIsWrong(String name, byte[] wire, String message) {
        assertThatThrownBy(() -> ZhttpCodec.decode(wire, 0)).isInstanceOf(ZhttpFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aBadFieldStillNamesItsSession() {
        assertThatThrownBy(() -> ZhttpCodec.decode(t(Map.of("id", "42", "code", "two hundred")), 0))
                .isInstanceOfSatisfying(ZhttpFormatException.class,
                        e -> assertThat(e.id()).asString().isEqualTo("42"));
        assertThatThrownBy(() -> ZhttpCodec.decode(t(Map.of("id", "43", "seq", "x")), 0))
                .isInstanceOfSatisfying(ZhttpFormatException.class,
                        e -> assertThat(e.id()).asString().isEqualTo("43"));
        assertThatThrownBy(() -> ZhttpCodec.decode(b("Tgarbage"), 0))
                .isInstanceOfSatisfying(ZhttpFormatException.class, e -> assertThat(e.id()).isNull());
    }
}
