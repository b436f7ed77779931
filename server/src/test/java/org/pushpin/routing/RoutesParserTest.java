package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoutesParserTest {

    private static Route only(String line) {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of(line), "routes");
        assertThat(r.warnings()).as("warnings").isEmpty();
        assertThat(r.routes()).hasSize(1);
        return r.routes().get(0);
    }

    private static Arguments row(String line, String what, Function<Route, Object> get, Object expected) {
        return arguments(line, what, get, expected);
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                row("* t:1", "host *", Route::host, "*"),
                row("Example.COM t:1", "host lower-cased", Route::host, "example.com"),
                row("[::1] t:1", "IPv6 host without brackets", Route::host, "::1"),
                row("\"*\" t:1", "quoted *", Route::host, "*"),
                row(",id=x t:1", "no condition value", Route::host, null),
                row("id=x t:1", "line starting with a prop", Route::host, null),
                row("id=x t:1", "its id", Route::id, "x"),
                row("*,id=abc t:1", "id", Route::id, "abc"),
                row("*,id= t:1", "empty id", Route::id, null),
                row("*,id=a,id=b t:1", "repeated prop: last wins", Route::id, "b"),
                row("* t:1", "no id", Route::id, null),
                row("*,path_beg=/api t:1", "path_beg", Route::pathBeg, "/api"),
                row("* t:1", "no path_beg", Route::pathBeg, null),
                row("*,proto=http t:1", "proto http", Route::proto, "http"),
                row("*,proto=ws t:1", "proto ws", Route::proto, "ws"),
                row("* t:1", "proto any", Route::proto, null),
                row("*,ssl=yes t:1", "ssl yes", Route::ssl, Boolean.TRUE),
                row("*,ssl=no t:1", "ssl no", Route::ssl, Boolean.FALSE),
                row("* t:1", "ssl any", Route::ssl, null),
                row("*,prefix=foo- t:1", "prefix", Route::prefix, "foo-"),
                row("* t:1", "no prefix", Route::prefix, ""),
                row("*,sig_iss=me t:1", "sig_iss", Route::sigIss, "me"),
                row("*,sig_key=secret t:1", "sig_key", Route::sigKey, "secret"),
                row("*,sig_key=secret t:1", "sig_key bytes", r -> new String(r.sigKeyBytes(),
                        StandardCharsets.UTF_8), "secret"),
                row("*,sig_key=base64:aGVsbG8= t:1", "base64 sig_key", r -> new String(r.sigKeyBytes(),
                        StandardCharsets.UTF_8), "hello"),
                row("*,sig_key=base64:aGVsbG8 t:1", "base64 without padding", r -> new String(r.sigKeyBytes(),
                        StandardCharsets.UTF_8), "hello"),
                row("*,sig_key= t:1", "empty sig_key", Route::sigKeyBytes, null),
                row("*,as_host=example.com:8080 t:1", "as_host", Route::asHost, "example.com:8080"),
                row("*,as_host= t:1", "empty as_host", Route::asHost, null),
                row("*,path_rem=4 t:1", "path_rem", Route::pathRemove, 4),
                row("*,path_rem=abc t:1", "path_rem not a number", Route::pathRemove, 0),
                row("*,path_rem=-3 t:1", "negative path_rem", Route::pathRemove, 0),
                row("*,path_beg=/old,replace_beg=/new t:1", "replace_beg", Route::replaceBeg, "/new"),
                row("*,path_beg=/old,replace_beg=/new t:1", "replace_beg drops path_beg", Route::pathRemove, 4),
                row("*,path_beg=/old,path_rem=1,replace_beg=/n t:1", "replace_beg beats path_rem",
                        Route::pathRemove, 4),
                row("*,replace_beg=/pre t:1", "replace_beg without path_beg", Route::pathRemove, 0),
                row("*,path_beg=/x,replace_beg= t:1", "empty replace_beg", Route::replaceBeg, ""),
                row("*,header=X-A:1 t:1", "header", Route::headers, List.of(Map.entry("X-A", "1"))),
                row("*,header=\"X-A:   spaced  value\" t:1", "header value left-trimmed", Route::headers,
                        List.of(Map.entry("X-A", "spaced  value"))),
                row("*,header=X-A: t:1", "header with empty value", Route::headers, List.of(Map.entry("X-A", ""))),
                row("*,header=X-A:1,header=X-B:2,header=X-A:3 t:1", "headers in Pushpin's order", Route::headers,
                        List.of(Map.entry("X-A", "3"), Map.entry("X-B", "2"), Map.entry("X-A", "1"))),
                row("*,header=X-A:a:b t:1", "colon in header value", Route::headers, List.of(Map.entry("X-A", "a:b"))),
                row("* t:1", "no headers", Route::headers, List.of()),
                row("*,no_grip t:1", "no_grip", Route::noGrip, true),
                row("* t:1", "grip by default", Route::noGrip, false),
                row("*,debug t:1", "debug", Route::debug, true),
                row("*,aco t:1", "aco", Route::autoCrossOrigin, true),
                row("*,orig_headers t:1", "orig_headers", Route::origHeaders, true),
                row("*,session t:1", "session", Route::session, true),
                row("* t:1", "flags off", r -> List.of(r.debug(), r.autoCrossOrigin(), r.origHeaders(), r.session()),
                        List.of(false, false, false, false)),
                row("*,jsonp_mode=basic,jsonp_cb=cb,jsonp_body=b,jsonp_defcb=f,jsonp_defmethod=PUT t:1", "jsonp",
                        Route::jsonp, Map.of("jsonp_mode", "basic", "jsonp_cb", "cb", "jsonp_body", "b",
                                "jsonp_defcb", "f", "jsonp_defmethod", "PUT")),
                row("*,jsonp_mode=extended t:1", "jsonp extended", Route::jsonp, Map.of("jsonp_mode", "extended")),
                row("* t:1", "no jsonp", Route::jsonp, Map.of()),
                row("*,sockjs=/sockjs,sockjs_as_path=/ws t:1", "sockjs", r -> r.sockjs() + " " + r.sockjsAsPath(),
                        "/sockjs /ws"),
                row("*,unknown=1,other t:1", "unknown props ignored", Route::host, "*"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {0}")
    @MethodSource("conditions")
    void conditionProps(String line, String what, Function<Route, Object> get, Object expected) {
        assertThat(get.apply(only(line))).isEqualTo(expected);
    }

    private static Function<Route, Object> target(int i, Function<Target, Object> get) {
        return r -> get.apply(r.targets().get(i));
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                row("* 127.0.0.1:8080", "origin", target(0, Target::address), "127.0.0.1:8080"),
                row("* 127.0.0.1:8080", "kind", target(0, Target::kind), Target.Kind.ORIGIN),
                row("* Origin.example:80", "host kept as written", target(0, Target::host), "Origin.example"),
                row("* host:+80", "signed port (Qt toInt)", target(0, Target::port), 80),
                row("* host:080", "leading zero", target(0, Target::port), 80),
                row("* host:65535", "highest port", target(0, Target::port), 65535),
                row("* host:1", "lowest port", target(0, Target::port), 1),
                row("* host:80\t", "trailing tab (Qt toInt trims)", target(0, Target::port), 80),
                row("* :80", "empty host", target(0, Target::host), ""),
                row("* [::1]:8080", "IPv6 host", target(0, Target::host), "::1"),
                row("* [::1]:8080", "IPv6 port", target(0, Target::port), 8080),
                row("* [fe80::1]:81", "IPv6 address", target(0, Target::address), "[fe80::1]:81"),
                row("* test", "test", target(0, Target::kind), Target.Kind.TEST),
                row("* test", "test address", target(0, Target::address), "test"),
                row("* \"test\"", "quoted test", target(0, Target::kind), Target.Kind.TEST),
                row("* zhttp/tcp://127.0.0.1:10000", "zhttp", target(0, Target::zhttpSpec), "tcp://127.0.0.1:10000"),
                row("* zhttp/tcp://127.0.0.1:10000", "zhttp kind", target(0, Target::kind), Target.Kind.ZHTTP),
                row("* zhttpreq/ipc://x", "zhttpreq", target(0, Target::address), "zhttpreq/ipc://x"),
                row("* zhttpreq/ipc://x", "zhttpreq kind", target(0, Target::kind), Target.Kind.ZHTTPREQ),
                row("* zhttp/ipc://x,ipc_file_mode=0660", "ipc_file_mode accepted", target(0, Target::kind),
                        Target.Kind.ZHTTP),
                row("* h:1,ssl", "ssl", target(0, Target::ssl), true),
                row("* h:1,ssl=no", "ssl by presence, as in Pushpin", target(0, Target::ssl), true),
                row("* h:1", "no ssl", target(0, Target::ssl), false),
                row("* h:1,insecure", "insecure", target(0, Target::insecure), true),
                row("* h:1,trust_connect_host", "trust_connect_host", target(0, Target::trustConnectHost), true),
                row("* h:1,host=api.example:8080", "host", target(0, Target::hostHeader), "api.example:8080"),
                row("* h:1,host=", "empty host", target(0, Target::hostHeader), null),
                row("* h:1,over_http", "over_http", target(0, Target::overHttp), true),
                row("* h:1,one_event", "one_event", target(0, Target::oneEvent), true),
                row("* h:1,sub=a,sub=b", "sub, in order", target(0, Target::subscriptions),
                        List.of("a", "b")),
                row("* h:1,untrusted", "untrusted", target(0, Target::untrusted), true),
                row("* h:1", "flags off", target(0, t -> List.of(t.insecure(), t.trustConnectHost(), t.overHttp(),
                        t.oneEvent(), t.untrusted())), List.of(false, false, false, false, false)),
                row("* h:1", "no subscriptions", target(0, Target::subscriptions), List.of()),
                row("* a:1 b:2,ssl test", "failover order", r -> r.targets().stream().map(Target::address).toList(),
                        List.of("a:1", "b:2", "test")),
                row("* a:1 b:2,ssl", "props stay with their target", r -> r.targets().stream().map(Target::ssl)
                        .toList(), List.of(false, true)),
                row("*   a:1    b:2   # comment", "extra spaces", r -> r.targets().size(), 2));
    }

    @ParameterizedTest(name = "[{index}] {1}: {0}")
    @MethodSource("targets")
    void targetProps(String line, String what, Function<Route, Object> get, Object expected) {
        assertThat(get.apply(only(line))).isEqualTo(expected);
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                arguments("*,id=a", "must specify condition and at least one target"),
                arguments("*", "must specify condition and at least one target"),
                arguments("*\t127.0.0.1:80", "must specify condition and at least one target"),
                arguments("*,path_beg=/a#b localhost:80", "must specify condition and at least one target"),
                arguments("* id=x 127.0.0.1:80", "expecting prop"),
                arguments("* localhost", "target bad format"),
                arguments("* \"\"", "target bad format"),
                arguments("* a:1 localhost", "target bad format"),
                arguments("* [::1]", "target bad format"),
                arguments("* [::1]8080", "target bad format"),
                arguments("* localhost:abc", "target invalid port"),
                arguments("* localhost:0", "target invalid port"),
                arguments("* localhost:65536", "target invalid port"),
                arguments("* localhost:-80", "target invalid port"),
                arguments("* localhost:0x50", "target invalid port"),
                arguments("* localhost:99999999999", "target invalid port"),
                arguments("* localhost:", "target invalid port"),
                arguments("* localhost: 80", "target invalid port"),
                arguments("* ::1:8080", "target invalid port"),
                arguments("* [::1]:x", "target invalid port"),
                arguments("*,,id=b localhost:80", "expecting prop"),
                arguments("* localhost:80,", "expecting prop"),
                arguments("*,=v localhost:80", "empty prop name"),
                arguments("*,path_beg=\"/unterminated localhost:80", "unterminated quoted string"),
                arguments("*,path_beg=\"/bad\\escape\" localhost:80", "bad escape in quoted string"),
                arguments("*,path_beg= localhost:80", "path_beg cannot be empty"),
                arguments("*,proto=foo localhost:80", "proto must be set to 'http' or 'ws'"),
                arguments("*,proto localhost:80", "proto must be set to 'http' or 'ws'"),
                arguments("*,ssl=maybe localhost:80", "ssl must be set to 'yes' or 'no'"),
                arguments("*,ssl localhost:80", "ssl must be set to 'yes' or 'no'"),
                arguments("*,jsonp_mode=x localhost:80", "jsonp_mode must be set to 'basic' or 'extended'"),
                arguments("*,jsonp_defmethod=\"A B\" localhost:80", "jsonp_defmethod must be a method name"),
                arguments("*,sockjs=sock localhost:80", "sockjs must be a path starting with '/'"),
                arguments("*,sockjs localhost:80", "sockjs must be a path starting with '/'"),
                arguments("*,sockjs=/s,sockjs_as_path=ws localhost:80",
                        "sockjs_as_path must be a path starting with '/'"),
                arguments("*,header=noval localhost:80", "header must use format 'name:value'"),
                arguments("*,header=:v localhost:80", "header must use format 'name:value'"),
                arguments("*,header=X:1,header=bad localhost:80", "header must use format 'name:value'"),
                // Pushpin 1.36 stops on an assertion for these; we skip the line
                arguments("* zhttp/localhost:5000", "zhttp target spec must be TRANSPORT://ADDRESS"),
                arguments("* zhttpreq/", "zhttp target spec must be TRANSPORT://ADDRESS"),
                arguments("* zhttp/tcp://127.0.0.1:http", "zhttp target spec: bad port in tcp://127.0.0.1:http"),
                arguments("* zhttp/tcp://127.0.0.1:65534", "zhttp target spec: port out of range in "
                        + "tcp://127.0.0.1:65534"),
                // the first failing check wins, in Pushpin's order
                arguments("*,ssl=x,proto=y localhost", "proto must be set to 'http' or 'ws'"),
                arguments("*,header=bad localhost", "header must use format 'name:value'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badLines")
    void badLineIsSkippedWithPushpinsWarning(String line, String reason) {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of("* good:1", line), "/etc/pushpin/routes");
        assertThat(r.warnings()).extracting(Object::toString)
                .containsExactly("/etc/pushpin/routes:2: " + reason);
        assertThat(r.warnings().get(0).reason()).isEqualTo(reason);
        assertThat(r.routes()).extracting(Route::line).containsExactly(1);
    }

    @Test
    void fileKeepsGoodLinesAndNumbersThemFromOne() {
        String text = "\uFEFF# routes\r\n"
                + "\r\n"
                + "example.com,id=ex 10.0.0.1:80\r\n"
                + "* localhost\r\n"
                + "   \n"
                + "*,id=star 127.0.0.1:8080 127.0.0.1:8081\n"
                + "*,id=dup 127.0.0.1:9\n"
                + "*,proto=ws test";
        RoutesParser.ParseResult r = RoutesParser.parse(text, "routes");
        assertThat(r.routes()).extracting(Route::id).containsExactly("ex", "star", null);
        assertThat(r.routes()).extracting(Route::line).containsExactly(3, 6, 8);
        assertThat(r.warnings()).extracting(Object::toString).containsExactly(
                "routes:4: target bad format",
                "routes:7 skipping duplicate condition");
        assertThat(r.table().byId("dup")).isEmpty();
        assertThat(r.table().match("x", "/", false, false)).map(Route::id).contains("star");
        assertThat(r.table().match("x", "/", false, true)).map(Route::line).contains(8);
    }

    @Test
    void splitsLinesLikePushpin() {
        assertThat(RoutesParser.splitLines("")).isEmpty();
        assertThat(RoutesParser.splitLines("a")).containsExactly("a");
        assertThat(RoutesParser.splitLines("a\n")).containsExactly("a");
        assertThat(RoutesParser.splitLines("a\r\nb\n\nc")).containsExactly("a", "b", "", "c");
        assertThat(RoutesParser.splitLines("\uFEFFa")).containsExactly("a");
    }

    static Stream<Arguments> duplicates() {
        return Stream.of(
                arguments(List.of("* a:1", "* b:2"), 1),
                arguments(List.of("*,path_beg=/a a:1", "*,path_beg=/a,id=other b:2"), 1),
                arguments(List.of("example.com a:1", "EXAMPLE.com b:2"), 1),
                arguments(List.of("*,proto=ws,ssl=yes,path_beg=/x a:1", "*,path_beg=/x,ssl=yes,proto=ws b:2"), 1),
                // anything that differs in host, proto, ssl or path_beg is a separate rule
                arguments(List.of("* a:1", "example.com b:2"), 0),
                arguments(List.of("* a:1", "*,proto=http b:2"), 0),
                arguments(List.of("* a:1", "*,ssl=no b:2"), 0),
                arguments(List.of("* a:1", "*,path_beg=/ b:2"), 0),
                arguments(List.of("*,proto=http a:1", "*,proto=ws b:2"), 0),
                // condition-less lines are never duplicates: they live only in the id index
                arguments(List.of(",id=a a:1", ",id=b b:2"), 0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("duplicates")
    void secondRuleWithTheSameConditionIsSkipped(List<String> lines, int skipped) {
        RoutesParser.ParseResult r = RoutesParser.parse(lines, "routes");
        assertThat(r.warnings()).hasSize(skipped);
        if (skipped == 1) {
            assertThat(r.warnings().get(0)).hasToString("routes:2 skipping duplicate condition");
            assertThat(r.routes()).singleElement().extracting(x -> x.targets().get(0).address()).isEqualTo("a:1");
        }
    }

    @Test
    void routeArgsAreReportedAsPushpinDoes() {
        RoutesParser.ParseResult r = RoutesParser.parseRouteArgs(List.of("* 127.0.0.1:80", "* nope", "* dup:1"));
        assertThat(r.warnings()).extracting(Object::toString).containsExactly(
                "<route>:1: target bad format",
                "<route>:1 skipping duplicate condition");
        assertThat(r.routes()).singleElement().extracting(Route::line).isEqualTo(0);
    }

    @Test
    void fixedRoutesServeTheirTable() {
        FixedRoutes fixed = FixedRoutes.of(List.of("*,id=a test", "bad"));
        assertThat(fixed.current().byId("a")).isPresent();
        assertThat(fixed.current().match("any", "/", false, false)).map(Route::id).contains("a");
        assertThat(fixed.warnings()).extracting(Object::toString)
                .containsExactly("<route>:1: must specify condition and at least one target");
    }

    @Test
    void logLevelIsReadAndAMalformedOneIsWarnedAboutWithTheLineKept() {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of(
                "a.example,log_level=1 h:1",
                "b.example h:1",
                "c.example,log_level=x h:1",
                "d.example,log_level=7 h:1",
                "e.example,log_level=-1 h:1",
                "f.example,log_level= h:1"), "routes");
        assertThat(r.routes()).extracting(Route::logLevel).containsExactly(1, -1, -1, -1, -1, -1);
        assertThat(r.routes()).extracting(Route::messageLevel).containsExactly(org.slf4j.event.Level.WARN,
                org.slf4j.event.Level.DEBUG, org.slf4j.event.Level.DEBUG, org.slf4j.event.Level.DEBUG,
                org.slf4j.event.Level.DEBUG, org.slf4j.event.Level.DEBUG);
        String why = ": log_level must be a number from 0 to 3; the route's messages stay at debug";
        assertThat(r.warnings()).extracting(Object::toString)
                .containsExactly("routes:3" + why, "routes:4" + why, "routes:5" + why, "routes:6" + why);
    }

    @Test
    void routeAndTargetFlagsGivenAValueAndEmptySubsAreWarnedAboutWithTheLineKept() {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of(
                "a.example,orig_headers=no h:1,untrusted=false",
                "b.example,session=0 h:1,trust_connect_host=no,sub=",
                "c.example,orig_headers,session h:1,untrusted,trust_connect_host,sub=x"), "routes");
        assertThat(r.routes()).hasSize(3);
        assertThat(r.routes().get(0).origHeaders()).isTrue();
        assertThat(r.routes().get(0).targets().get(0).untrusted()).isTrue();
        assertThat(r.routes().get(1).targets().get(0).subscriptions()).isEmpty();
        assertThat(r.warnings()).extracting(Object::toString).containsExactly(
                "routes:1: orig_headers takes no value; 'orig_headers=no' counts as orig_headers",
                "routes:1: untrusted takes no value; 'untrusted=false' counts as untrusted",
                "routes:2: session takes no value; 'session=0' counts as session",
                "routes:2: sub needs a channel name; an empty sub= is ignored",
                "routes:2: trust_connect_host takes no value; 'trust_connect_host=no' counts as trust_connect_host");
    }

    @Test
    void parsedValuesAreImmutable() {
        Route r = only("*,header=A:1,jsonp_cb=x h:1,sub=c");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.headers().add(Map.entry("B", "2")))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.jsonp().put("k", "v"))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.targets().get(0).subscriptions().add("d"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
