package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderValueParserTest {

    /** Renders an entry as {@code item|item}, an item being {@code name} or {@code name=value}; null as "FAIL". */
    static String render(HeaderValueParser.Entry e) {
        if (e == null) {
            return "FAIL";
        }
        return e.params().stream()
                .map(p -> p.value() == null ? p.name() : p.name() + "=" + p.value())
                .collect(Collectors.joining("|"));
    }

    static List<Map.Entry<String, String>> headers(String... nameValues) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "a                              ~ a",
        "'  a  '                        ~ a",
        "a;b=c                          ~ a|b=c",
        "' a ; b = c ; d '              ~ a|b=c|d",
        "a; b=\"x;y\"; c=1              ~ a|b=x;y|c=1",
        "a; b=\"q\\\"uote\\\\\"         ~ a|b=q\"uote\\",
        "a; b=\"x\" junk; c=2           ~ a|b=x|c=2",
        "a; b=\"\"                      ~ a|b=",
        "a; b=                          ~ a|b=",
        "a; b                           ~ a|b",
        "a;;b                           ~ a||b",
        "a;                             ~ a",
        "'a; '                          ~ 'a|'",
        "<http://x/?a=1;b=2>; rel=next  ~ <http://x/?a=1|b=2>|rel=next",
        "\"x;y\"; p=1                   ~ \"x|y\"|p=1",
        "a; b = \" spaced \"            ~ a|b=\" spaced \"",
        "a; b=\" spaced \"              ~ 'a|b= spaced '",
        "a; b=\"x                       ~ FAIL",
        "a; b=\"x\\                     ~ FAIL",
        "a; b=x\"                       ~ a|b=x\"",
        "''                             ~ ''",
    })
    void parsesTokenAndParams(String in, String expected) {
        assertThat(render(HeaderValueParser.parse(in, false))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "user=alice                 ~ user=alice",
        "user=\"a b\"; x=1          ~ user=a b|x=1",
        "' user = alice '           ~ user=alice",
        "flag                       ~ flag",
        "k=\"v\\\"q\"               ~ k=v\"q",
        "k=\"v                      ~ FAIL",
        "''                         ~ ''",
    })
    void parsesAllParamsMode(String in, String expected) {
        assertThat(render(HeaderValueParser.parse(in, true))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "a, b                        ~ [a, b]",
        "a,b,c                       ~ [a, b, c]",
        "a,,b                        ~ [a, , b]",
        "'a, '                       ~ [a, ]",
        "a,                          ~ [a]",
        ",a                          ~ [, a]",
        "a; p=\"x,y\", b             ~ [a; p=\"x,y\", b]",
        "a; p=\"x\\\",y\", b         ~ [a; p=\"x\\\",y\", b]",
        "a; p=\"x, b                 ~ [a; p=\"x, b]",
        "a, b; p=\"x,y               ~ [a, b; p=\"x,y]",
        "''                          ~ []",
    })
    void splitsOnUnquotedCommas(String in, String expected) {
        assertThat(HeaderValueParser.splitCommas(in).toString()).isEqualTo(expected);
    }

    @Test
    void parseAllJoinsInstancesSplitsCommasAndSkipsBrokenEntries() {
        List<Map.Entry<String, String>> h = headers(
                "Grip-Channel", "a, b; prev-id=1",
                "X-Other", "z",
                "grip-channel", "c; filter=\"x",
                "GRIP-CHANNEL", "d; filter=skip-self");
        assertThat(HeaderValueParser.parseAll(h, "Grip-Channel")).extracting(HeaderValueParserTest::render)
                .containsExactly("a", "b|prev-id=1", "d|filter=skip-self");
    }

    @Test
    void parseFirstUsesFirstInstanceUnsplit() {
        List<Map.Entry<String, String>> h = headers("Grip-Keep-Alive", "a, b; format=raw", "Grip-Keep-Alive", "c");
        assertThat(render(HeaderValueParser.parseFirst(h, "grip-keep-alive"))).isEqualTo("a, b|format=raw");
        assertThat(HeaderValueParser.parseFirst(headers("Grip-Keep-Alive", ""), "Grip-Keep-Alive")).isNull();
        assertThat(HeaderValueParser.parseFirst(headers("Grip-Keep-Alive", "x; f=\"y"), "Grip-Keep-Alive")).isNull();
        assertThat(HeaderValueParser.parseFirst(headers(), "Grip-Keep-Alive")).isNull();
    }

    @Test
    void lookupsAreCaseInsensitiveAndDistinguishValuelessParams() {
        HeaderValueParser.Entry e = HeaderValueParser.parse("ch; Prev-ID=7; flag; empty=", false);
        assertThat(e.token()).isEqualTo("ch");
        assertThat(e.get("prev-id")).isEqualTo("7");
        assertThat(e.has("FLAG")).isTrue();
        assertThat(e.get("flag")).isNull();
        assertThat(e.get("empty")).isEmpty();
        assertThat(e.has("missing")).isFalse();
        assertThat(e.get("missing")).isNull();
    }

    @Test
    void valuesAndFirst() {
        List<Map.Entry<String, String>> h = headers("A", "1, 2", "b", "x", "a", "3");
        assertThat(HeaderValueParser.values(h, "a")).containsExactly("1", "2", "3");
        assertThat(HeaderValueParser.first(h, "a")).isEqualTo("1, 2");
        assertThat(HeaderValueParser.first(h, "c")).isNull();
        assertThat(HeaderValueParser.contains(h, "B")).isTrue();
    }
}
