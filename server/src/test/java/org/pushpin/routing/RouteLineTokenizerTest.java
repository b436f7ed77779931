package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteLineTokenizerTest {

    /** Sections rendered as {@code value[name=value;...]}, joined by single spaces. */
    private static String render(List<RouteLineTokenizer.Section> sections) {
        return sections.stream()
                .map(s -> s.value() + s.props().stream()
                        .map(p -> p.getKey() + "=" + p.getValue())
                        .collect(Collectors.joining(";", "[", "]")))
                .collect(Collectors.joining(" "));
    }

    static Stream<Arguments> goodLines() {
        return Stream.of(
                arguments("", ""),
                arguments("    ", ""),
                arguments("# a comment", ""),
                arguments("   # indented comment", ""),
                arguments("apple", "apple[]"),
                arguments("apple banana", "apple[] banana[]"),
                arguments("  apple   banana  # comment", "apple[] banana[]"),
                arguments("apple,organic,type=gala", "apple[organic=;type=gala]"),
                arguments("apple,organic banana cherry,type=bing", "apple[organic=] banana[] cherry[type=bing]"),
                arguments("* host:80#trailing comment", "*[] host:80[]"),
                arguments("*,path_beg=/a#b host:80", "*[path_beg=/a]"),
                // quoting: any stretch of a value, with \\ and \" escapes
                arguments("a,from=\"washington, \\\"usa\\\"\"", "a[from=washington, \"usa\"]"),
                arguments("*,path_beg=\"/a b#c\" t:1", "*[path_beg=/a b#c] t:1[]"),
                arguments("te\"st\"", "test[]"),
                arguments("*,p=\"x\"y\"z\"", "*[p=xyz]"),
                arguments("*,p=\"back\\\\slash\"", "*[p=back\\slash]"),
                arguments("* \"\"", "*[] []"),
                arguments("a\\b", "a\\b[]"),
                // a first section holding '=' is props of an empty condition
                arguments(",organic", "[organic=]"),
                arguments("type=gala", "[type=gala]"),
                arguments("id=x,path_beg=/a t:1", "[id=x;path_beg=/a] t:1[]"),
                arguments("\"a=b\" t:1", "[a=b] t:1[]"),
                arguments("a=\"x,y\" t:1", "[a=x,y] t:1[]"),
                // only the space separates sections; a tab is part of the value
                arguments("*\tt:1", "*\tt:1[]"),
                arguments("* t:1\t", "*[] t:1\t[]"),
                arguments("x,p=a=b", "x[p=a=b]"),
                arguments("x,p=", "x[p=]"),
                arguments("x,p,p=2", "x[p=;p=2]"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goodLines")
    void splitsSectionsAndProps(String line, String expected) throws Exception {
        assertThat(render(RouteLineTokenizer.tokenize(line))).isEqualTo(expected);
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                // Pushpin re-reads "id=x" from the space before it (checked against 1.36)
                arguments("* id=x 127.0.0.1:80", "expecting prop"),
                arguments("  id=x t:1", "expecting prop"),
                arguments("*,a=1 b=2 t:1", "expecting prop"),
                arguments("*,,id=b t:1", "expecting prop"),
                arguments("* t:1,", "expecting prop"),
                arguments("*, t:1", "expecting prop"),
                arguments("*,#x t:1", "expecting prop"),
                arguments("*,=v t:1", "empty prop name"),
                arguments("x,p,=", "empty prop name"),
                // Pushpin logs these with an empty reason; we name the problem
                arguments("*,path_beg=\"/unterminated t:1", "unterminated quoted string"),
                arguments("*,p=\"", "unterminated quoted string"),
                arguments("*,p=\"abc\\", "unterminated quoted string"),
                arguments("\"", "unterminated quoted string"),
                arguments("*,path_beg=\"/bad\\escape\" t:1", "bad escape in quoted string"),
                arguments("*,p=\"\\n\"", "bad escape in quoted string"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badLines")
    void rejectsWithPushpinsReason(String line, String reason) {
        assertThatThrownBy(() -> RouteLineTokenizer.tokenize(line))
                .isInstanceOf(RouteLineTokenizer.SyntaxException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goodLines")
    void sectionPropAccessorsAgree(String line, String ignored) throws Exception {
        for (RouteLineTokenizer.Section s : RouteLineTokenizer.tokenize(line)) {
            for (Map.Entry<String, String> p : s.props()) {
                assertThat(s.has(p.getKey())).isTrue();
                assertThat(s.all(p.getKey())).contains(p.getValue());
                List<String> all = s.all(p.getKey());
                assertThat(s.last(p.getKey())).isEqualTo(all.get(all.size() - 1));
            }
            assertThat(s.has("no-such-prop")).isFalse();
            assertThat(s.last("no-such-prop")).isNull();
        }
    }
}
