package org.pushpin.tnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TnetStringTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsThePacketPushpinSendsOnItsStatsSocket() throws Exception {
        // captured from the reference 1.36 (a conn packet after its "conn T" prefix)
        Map<String, Object> d = TnetString.parseDict(b("108:2:id,13:condure:0-0-c,12:peer-address,9:127.0.0.1,"
                + "4:type,4:http,4:from,21:pushpin-handler_11263,3:ttl,3:120#}"), 0, 113);
        assertThat(new String((byte[]) d.get("id"), StandardCharsets.UTF_8)).isEqualTo("condure:0-0-c");
        assertThat(d.get("ttl")).isEqualTo(120L);
        assertThat(d.keySet()).containsExactly("id", "peer-address", "type", "from", "ttl");
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", new byte[] {0, (byte) 0xff, ':'});
        m.put("int", -42L);
        m.put("float", 1.5);
        m.put("yes", true);
        m.put("no", false);
        m.put("nothing", null);
        m.put("list", new ArrayList<>(List.of(1L, new LinkedHashMap<>())));
        byte[] wire = TnetString.encode(m);
        Object back = TnetString.parse(wire);
        assertThat(TnetString.encode(back)).isEqualTo(wire);
        assertThat(new String(TnetString.encode(Map.of("a", "x")), StandardCharsets.UTF_8)).isEqualTo("8:1:a,1:x,}");
        assertThat(new String(TnetString.encode(Arrays.asList(true, null, 7)), StandardCharsets.UTF_8))
                .isEqualTo("14:4:true!0:~1:7#]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "0", "0:", "1:a", "2:a,", "x:a,", "-1:a,", "1234567890:a,", "1:a?", "1:a,x",
            "3:abc#", "0:#", "1:.^", "3:NaN^", "8:Infinity^", "3:yes!", "1:x~", "3:1:a]", "4:1:a,}", "5:1#1:a}",
            "8:1:a,1:b]", "6:1:\u00ff,0:~}", "5:2:ab,}", "4:abc,]"})
    void malformedInputIsRefusedWithWhere(String input) {
        assertThatThrownBy(() -> TnetString.parse(input.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(TnetStringException.class).hasMessageContaining("at byte");
    }

    @Test
    void nestingIsBounded() {
        String v = "0:]";
        for (int i = 0; i < TnetString.MAX_DEPTH + 2; i++) {
            v = v.length() + ":" + v + "]";
        }
        String deep = v;
        assertThatThrownBy(() -> TnetString.parse(b(deep))).hasMessageContaining("nested deeper");
    }

    @Test
    void aValueInsideAContainerCannotReachPastIt() {
        // the inner "5:hello," would fit in the whole input but not in its list's 4 bytes
        assertThatThrownBy(() -> TnetString.parse(b("4:5:hello,]"))).isInstanceOf(TnetStringException.class);
    }

    @Property(tries = 2000)
    void anyEncodedValueParsesBackToTheSameBytes(@ForAll("values") Object value) throws Exception {
        byte[] wire = TnetString.encode(value);
        assertThat(TnetString.encode(TnetString.parse(wire))).isEqualTo(wire);
    }

    @Property(tries = 3000)
    void garbageEitherParsesOrFailsCleanly(@ForAll byte[] garbage) {
        try {
            TnetString.parse(garbage);
        } catch (TnetStringException expected) {
            assertThat(expected.offset()).isBetween(0, garbage.length);
        }
    }

    @Property(tries = 2000)
    void aTruncatedOrCorruptedEncodingFailsCleanly(@ForAll("values") Object value, @ForAll byte flip,
            @ForAll int position) {
        byte[] wire = TnetString.encode(value);
        byte[] cut = Arrays.copyOf(wire, Math.floorMod(position, wire.length));
        byte[] bent = wire.clone();
        bent[Math.floorMod(position, wire.length)] ^= (byte) (flip | 1);
        for (byte[] bad : List.of(cut, bent)) {
            try {
                TnetString.parse(bad);
            } catch (TnetStringException expected) {
                assertThat(expected.offset()).isBetween(0, bad.length);
            }
        }
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(this::leaf, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), inner).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m))), 0, 4);
    }

    private Arbitrary<Object> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(x -> (Object) x),
                Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.doubles().map(x -> (Object) x),
                Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.just(null));
    }
}
