package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IniFileTest {
    private static final Path FILE = Path.of("/conf/pushpin.conf");

    private static IniFile parse(String text) throws ConfigException {
        return IniFile.parse(FILE, text);
    }

    /** One value line as Qt's QSettings reads it; '|' separates list items, 'LIST:' marks a list. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "k=v                          ¦ v",
        "k =  v                       ¦ v",
        "`  k=v   \t`                 ¦ v",
        "k=                           ¦ ``",
        "k=a b  c                     ¦ a b  c",
        "k=\"  padded  \"             ¦ `  padded  `",
        "k=\"a,b\"                    ¦ a,b",
        "k=a,b                        ¦ LIST:a|b",
        "k=a , b ,c                   ¦ LIST:a|b|c",
        "k=a,                         ¦ LIST:a|",
        "k=\"a\" , \"b c\"            ¦ LIST:a|b c",
        "k=v ; trailing comment       ¦ v",
        "k=\"v;x\"                    ¦ v;x",
        "k=v\\;x                      ¦ vx",
        "k=a=b                        ¦ a=b",
        "k=tab\\there                 ¦ `tab\there`",
        "k=\\x41\\102                 ¦ AB",
        "k=say \\\"hi\\\"             ¦ say \"hi\"",
        "k=back\\\\slash              ¦ back\\slash",
        "k=C:\\dir                    ¦ C:ir",
        "k=\"ab\"cd                   ¦ abcd",
        "k=# not a comment            ¦ # not a comment",
    })
    void readsValuesLikeQSettings(String line, String expected) throws ConfigException {
        IniFile.Entry e = parse("[s]\n" + line + "\n").get("s", "k");
        if (expected.startsWith("LIST:")) {
            assertThat(e.isList()).isTrue();
            assertThat(e.items()).containsExactlyElementsOf(List.of(expected.substring(5).split("\\|", -1)));
        } else {
            assertThat(e.isList()).isFalse();
            assertThat(e.items()).containsExactly(expected);
        }
    }

    @Test
    void keepsSectionsLinesAndLastValue() throws ConfigException {
        IniFile ini = parse("""
                \uFEFF# comment
                ; another comment
                top=1

                [ runner ]
                http_port=7999
                [proxy]
                debug=false
                [runner]
                http_port=8000
                """);
        assertThat(ini.get("", "top").items()).containsExactly("1");
        IniFile.Entry port = ini.get("runner", "http_port");
        assertThat(port.items()).containsExactly("8000");
        assertThat(port.line()).isEqualTo(10);
        assertThat(port.where()).isEqualTo("/conf/pushpin.conf:10: [runner] http_port");
        assertThat(ini.get("proxy", "debug").line()).isEqualTo(8);
        assertThat(ini.get("proxy", "missing")).isNull();
        assertThat(ini.get("runner", "debug")).isNull();
    }

    @Test
    void joinsBackslashContinuedLinesAndKeepsTheFirstLineNumber() throws ConfigException {
        IniFile.Entry e = parse("[s]\nk=a,\\\n  b\nother=1\n").get("s", "k");
        assertThat(e.items()).containsExactly("a", "b");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void acceptsCrLfLineEnds() throws ConfigException {
        IniFile ini = parse("[s]\r\nk=v\r\nj=w\r\n");
        assertThat(ini.get("s", "k").items()).containsExactly("v");
        assertThat(ini.get("s", "j").line()).isEqualTo(3);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '¦', value = {
        "[s]\\nk=v\\njust words\\n     ¦ /conf/pushpin.conf:3: expected key=value",
        "[s\\nk=v\\n                   ¦ /conf/pushpin.conf:1: section header without ']'",
        "[s]\\n=v\\n                   ¦ /conf/pushpin.conf:2: [s] missing key name",
        "[s]\\n\\nk=\"open\\nj=1\\n    ¦ /conf/pushpin.conf:3: [s] k: unterminated quote",
        "[s]\\nk ; comment = x\\n      ¦ /conf/pushpin.conf:2: expected key=value",
    })
    void rejectsMalformedLinesNamingFileAndLine(String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
