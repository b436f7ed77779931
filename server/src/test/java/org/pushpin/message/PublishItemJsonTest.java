package org.pushpin.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@link PublishItemJson} is lossless: for any {@link PublishItem} in the form {@link PublishParser}
 * produces (every format, every action the parser accepts for it, arbitrary bytes, unicode text, meta, no-seq, size,
 * or no format at all), {@code decode(encode(item))} equals the item field by field and byte for byte, and encoding
 * the decoded item gives the same JSON. Also that decoding anything that is not such an item fails with
 * {@link PublishFormatException} rather than another exception.
 */
class PublishItemJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final byte[] EMPTY = new byte[0];

    @Property(tries = 2000)
    void anyItemSurvivesARoundTrip(@ForAll("items") PublishItem item) throws Exception {
        byte[] wire = PublishItemJson.encode(item);
        PublishItem back = PublishItemJson.decode(wire);
        assertSameRecord("item", item, back);
        // Deterministic encoding: the decoded item writes the same JSON (compared as trees: meta order is a Map's).
        assertThat(JSON.readTree(PublishItemJson.encode(back))).isEqualTo(JSON.readTree(wire));
    }

    @Test
    void binaryContentSurvivesByteForByte() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] invalidUtf8 = {(byte) 0xc3, 0x28, (byte) 0xff, 0, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        PublishItem item = item("bin", new HttpResponseFormat(Action.SEND, 200, null, List.of(), invalidUtf8, null,
                        List.of()), new HttpStreamFormat(Action.SEND, all, List.of()),
                new WsMessageFormat(Action.SEND, WsMessageFormat.Type.BINARY, all, -1, null, List.of()));
        PublishItem back = PublishItemJson.decode(PublishItemJson.encode(item));
        assertThat(back.httpResponse().body()).containsExactly(invalidUtf8);
        assertThat(back.httpStream().content()).containsExactly(all);
        assertThat(back.wsMessage().content()).containsExactly(all);
        assertThat(back.wsMessage().type()).isEqualTo(WsMessageFormat.Type.BINARY);
    }

    @Test
    void aWebSocketCloseKeepsItsCodeAndReason() throws Exception {
        WsMessageFormat close = new WsMessageFormat(Action.CLOSE, WsMessageFormat.Type.TEXT, EMPTY, 4001,
                "gone \u00e9\ud83d\ude00", List.of());
        WsMessageFormat back = PublishItemJson.decode(PublishItemJson.encode(item("c", null, null, close)))
                .wsMessage();
        assertThat(back.action()).isEqualTo(Action.CLOSE);
        assertThat(back.closeCode()).isEqualTo(4001);
        assertThat(back.closeReason()).isEqualTo("gone \u00e9\ud83d\ude00");
        WsMessageFormat bare = new WsMessageFormat(Action.CLOSE, WsMessageFormat.Type.TEXT, EMPTY, -1, null,
                List.of());
        assertSameRecord("bare close", bare,
                PublishItemJson.decode(PublishItemJson.encode(item("c", null, null, bare))).wsMessage());
    }

    @Test
    void metaNoSeqSizeAndIdsSurvive() throws Exception {
        PublishItem item = new PublishItem("ch", "id-2", "id-1", Map.of("sender", "s1", "skip_users", "a,b", "", ""),
                true, 1234, null, new HttpStreamFormat(Action.HINT, EMPTY, List.of()), null);
        PublishItem back = PublishItemJson.decode(PublishItemJson.encode(item));
        assertThat(back.meta()).isEqualTo(item.meta());
        assertThat(back.noSeq()).isTrue();
        assertThat(back.size()).isEqualTo(1234);
        assertThat(back.id()).isEqualTo("id-2");
        assertThat(back.prevId()).isEqualTo("id-1");
    }

    @Test
    void anItemWithNoFormatStaysOneWithNoFormat() throws Exception {
        PublishItem item = item("nowhere", null, null, null);
        assertSameRecord("item", item, PublishItemJson.decode(PublishItemJson.encode(item)));
    }

    @Test
    void anOverflowingNumberInABodyPatchStaysANumber() throws Exception {
        PublishItem parsed = PublishItemJson.decode(utf8("{\"channel\": \"c\", \"formats\": {\"http-response\": "
                + "{\"body-patch\": [{\"op\": \"add\", \"path\": \"/x\", \"value\": 1e400}]}}}"));
        assertSameRecord("item", parsed, PublishItemJson.decode(PublishItemJson.encode(parsed)));
    }

    @Test
    void garbageTruncatedOrNonItemJsonIsRefused() {
        byte[] good = PublishItemJson.encode(item("c", null, new HttpStreamFormat(Action.SEND, EMPTY, List.of()),
                null));
        List<byte[]> bad = List.of(new byte[] {(byte) 0xff, 0, 1}, utf8("not json"), utf8(""),
                Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, good.length / 2),
                utf8("\"a string\""), utf8("42"), utf8("[1, 2]"), utf8("{}"), utf8("{\"channel\": \"c\"}"),
                utf8("{\"channel\": 5, \"formats\": {\"none\": {}}}"), utf8(new String(good, StandardCharsets.UTF_8)
                        + "{}"));
        for (byte[] b : bad) {
            assertThatThrownBy(() -> PublishItemJson.decode(b)).as(new String(b, StandardCharsets.UTF_8))
                    .isInstanceOf(PublishFormatException.class);
        }
    }

    // ---- generators: items in the normalised form PublishParser yields ----

    @Provide
    Arbitrary<PublishItem> items() {
        Arbitrary<Map<String, String>> meta = Arbitraries.maps(name(8), text(12)).ofMaxSize(4).map(Map::copyOf);
        Arbitrary<Long> size = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 1_000_000));
        return Combinators.combine(text(16).filter(s -> !s.isEmpty()), text(10).injectNull(0.3),
                text(10).injectNull(0.3), meta, Arbitraries.of(true, false), size, response().injectNull(0.4),
                stream().injectNull(0.4)).as((ch, id, prev, m, noSeq, sz, r, s) ->
                        new PublishItem(ch, id, prev, m, noSeq, sz, r, s, null))
                .flatMap(i -> ws().injectNull(0.4).map(w -> new PublishItem(i.channel(), i.id(), i.prevId(),
                        i.meta(), i.noSeq(), i.size(), i.httpResponse(), i.httpStream(), w)));
    }

    private Arbitrary<HttpResponseFormat> response() {
        Arbitrary<List<Map.Entry<String, String>>> headers = Combinators.combine(text(8), text(16))
                .as((k, v) -> (Map.Entry<String, String>) new SimpleImmutableEntry<>(k, v)).list().ofMaxSize(4);
        Arbitrary<HttpResponseFormat> send = Combinators.combine(Arbitraries.integers().between(0, 999), reason(),
                headers, bytes(), patch(), Arbitraries.of(true, false), filters()).as((code, reason, h, body, patch,
                        usePatch, f) -> new HttpResponseFormat(Action.SEND, code, reason, h, usePatch ? null : body,
                        usePatch ? patch : null, f));
        return Arbitraries.oneOf(send, Arbitraries.of(Action.HINT, Action.CLOSE)
                .map(a -> new HttpResponseFormat(a, 200, null, List.of(), EMPTY, null, List.of())));
    }

    private Arbitrary<HttpStreamFormat> stream() {
        return Arbitraries.oneOf(
                Combinators.combine(bytes(), filters()).as((c, f) -> new HttpStreamFormat(Action.SEND, c, f)),
                Arbitraries.of(Action.HINT, Action.CLOSE).map(a -> new HttpStreamFormat(a, EMPTY, List.of())));
    }

    private Arbitrary<WsMessageFormat> ws() {
        Arbitrary<WsMessageFormat> send = Combinators.combine(Arbitraries.of(WsMessageFormat.Type.class), bytes(),
                filters()).as((t, c, f) -> new WsMessageFormat(Action.SEND, t, c, -1, null, f));
        Arbitrary<Integer> code = Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, 4999));
        Arbitrary<WsMessageFormat> close = Combinators.combine(code, reason()).as((c, r) ->
                new WsMessageFormat(Action.CLOSE, WsMessageFormat.Type.TEXT, EMPTY, c, r, List.of()));
        Arbitrary<WsMessageFormat> other = Arbitraries.of(Action.HINT, Action.REFRESH)
                .map(a -> new WsMessageFormat(a, WsMessageFormat.Type.TEXT, EMPTY, -1, null, List.of()));
        return Arbitraries.oneOf(send, close, other);
    }

    /** A JSON Patch array: operations whose values are the kinds a parse gives back unchanged. */
    private Arbitrary<JsonNode> patch() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().filter(l -> l != (int) (long) l).map(NODES::numberNode),
                // floats as the parser reads them: BigDecimal (so 1e400 survives, see the test below); with a
                // fraction, since one without (2.5E14) is written plain and comes back as the same integer
                Arbitraries.doubles().filter(Double::isFinite).map(d -> new java.math.BigDecimal(Double.toString(d)))
                        .filter(d -> d.scale() > 0).map(NODES::numberNode), text(8).map(NODES::textNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                Combinators.combine(name(4), text(4)).as((k, v) -> NODES.objectNode().put(k, v)));
        return Combinators.combine(Arbitraries.of("add", "remove", "replace", "test"), text(10), value)
                .as((op, path, v) -> (JsonNode) NODES.objectNode().put("op", op).put("path", "/" + path).set("value",
                        v))
                .list().ofMaxSize(3).map(ops -> {
                    ArrayNode a = NODES.arrayNode();
                    ops.forEach(a::add);
                    return (JsonNode) a;
                });
    }

    private static Arbitrary<String> reason() {
        return text(12).filter(s -> !s.isEmpty()).injectNull(0.4); // the parser turns "" into null
    }

    private static Arbitrary<List<String>> filters() {
        return Arbitraries.of("build-id", "skip-self", "skip-users", "require-sub", "var-subst", "x\u00e9")
                .list().ofMaxSize(3);
    }

    private static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    /**
     * Any string value: ASCII, BMP and supplementary code points, controls, and lone surrogates (a JSON string
     * value with an escaped lone surrogate, {@code "\\ud800"}, parses, so items can hold one).
     */
    private static Arbitrary<String> text(int maxCodePoints) {
        return codePoints(maxCodePoints, Arbitraries.oneOf(Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0, 0x10ffff), Arbitraries.integers().between(0xd800, 0xdfff)));
    }

    /**
     * An object key (meta key, patch field name): well-formed unicode only. Jackson's parser refuses an escaped lone
     * surrogate in a field name, so no parsed item can hold one (PublishItemJson would write it, then fail to read it).
     */
    private static Arbitrary<String> name(int maxCodePoints) {
        return codePoints(maxCodePoints, Arbitraries.oneOf(Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0, 0x10ffff)
                        .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)));
    }

    private static Arbitrary<String> codePoints(int max, Arbitrary<Integer> codePoint) {
        return codePoint.list().ofMaxSize(max)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    // ---- helpers ----

    private static PublishItem item(String channel, HttpResponseFormat r, HttpStreamFormat s, WsMessageFormat w) {
        return new PublishItem(channel, null, null, Map.of(), false, -1, r, s, w);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Record equality that compares byte[] components by content and nested records component by component. */
    private static void assertSameRecord(String where, Record expected, Record actual) throws Exception {
        if (expected == null || actual == null) {
            assertThat(actual).as(where).isEqualTo(expected);
            return;
        }
        assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object x = c.getAccessor().invoke(expected);
            Object y = c.getAccessor().invoke(actual);
            String name = where + "." + c.getName();
            if (x instanceof Record || y instanceof Record) {
                assertSameRecord(name, (Record) x, (Record) y);
            } else if (x instanceof byte[] || y instanceof byte[]) {
                assertThat((byte[]) y).as(name).isEqualTo((byte[]) x);
            } else {
                assertThat(y).as(name).isEqualTo(x);
            }
        }
    }
}
