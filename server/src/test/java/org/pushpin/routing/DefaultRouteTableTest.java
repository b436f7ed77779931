package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultRouteTableTest {

    private static RouteTable table(List<String> lines) {
        RoutesParser.ParseResult r = RoutesParser.parse(lines, "routes");
        assertThat(r.warnings()).as("warnings").isEmpty();
        return r.table();
    }

    private static final List<String> HOSTS = List.of(
            "*,id=star t:1",
            "example.com,id=ex t:1",
            "only.example,id=only,path_beg=/only t:1",
            "[::1],id=v6 t:1",
            "localhost,id=lh t:1");

    private static final List<String> PATHS = List.of(
            "*,id=v2,path_beg=/api/v2 t:1",
            "*,id=root t:1",
            "*,id=api,path_beg=/api t:1",
            "*,id=q,path_beg=/s?a t:1");

    private static final List<String> PROTOS = List.of(
            "*,id=any t:1",
            "*,id=api,path_beg=/api t:1",
            "*,id=ws,proto=ws t:1",
            "*,id=http,proto=http t:1",
            "*,id=ws-deep,proto=ws,path_beg=/api/deep t:1");

    private static final List<String> SSL = List.of(
            "*,id=any t:1",
            "*,id=tls,ssl=yes t:1",
            "*,id=tls-api,ssl=yes,path_beg=/api t:1",
            "*,id=plain-api,ssl=no,path_beg=/api t:1");

    private static final List<String> WS_ONLY = List.of("*,id=ws,proto=ws t:1");

    private static final List<String> HIDDEN = List.of(",id=hidden t:1");

    static Stream<Arguments> matches() {
        return Stream.of(
                // exact host first (any case, port ignored), else the * rules
                arguments("hosts", HOSTS, "example.com", "/", false, false, "ex"),
                arguments("hosts", HOSTS, "Example.COM:8080", "/", false, false, "ex"),
                arguments("hosts", HOSTS, "www.example.com", "/", false, false, "star"),
                arguments("hosts", HOSTS, "example.com.evil", "/", false, false, "star"),
                arguments("hosts", HOSTS, "[::1]:7999", "/", false, false, "v6"),
                arguments("hosts", HOSTS, "::1", "/", false, false, "v6"),
                arguments("hosts", HOSTS, "127.0.0.1:7999", "/", false, false, "star"),
                // a request without Host is looked up as localhost, like Pushpin
                arguments("hosts", HOSTS, null, "/", false, false, "lh"),
                arguments("hosts", HOSTS, "", "/", false, false, "lh"),
                // a host with rules never falls back to *, even when none of its rules match
                arguments("hosts", HOSTS, "only.example", "/only/x", false, false, "only"),
                arguments("hosts", HOSTS, "only.example", "/other", false, false, null),
                // the longest path_beg wins, whatever the line order; the query is not part of the path
                arguments("paths", PATHS, "h", "/", false, false, "root"),
                arguments("paths", PATHS, "h", "/api", false, false, "api"),
                arguments("paths", PATHS, "h", "/apix", false, false, "api"),
                arguments("paths", PATHS, "h", "/api/v1/x", false, false, "api"),
                arguments("paths", PATHS, "h", "/api/v2/x?y=1", false, false, "v2"),
                arguments("paths", PATHS, "h", "/x?/api/v2", false, false, "root"),
                arguments("paths", PATHS, "h", "/s?a=1", false, false, "root"),
                arguments("paths", PATHS, "h", "/API", false, false, "root"),
                arguments("paths", PATHS, "h", null, false, false, "root"),
                // a rule with proto beats any rule without it, even one with a longer path_beg
                arguments("protos", PROTOS, "h", "/", false, false, "http"),
                arguments("protos", PROTOS, "h", "/", false, true, "ws"),
                arguments("protos", PROTOS, "h", "/api/x", false, false, "http"),
                arguments("protos", PROTOS, "h", "/api/x", false, true, "ws"),
                arguments("protos", PROTOS, "h", "/api/deep/1", false, true, "ws-deep"),
                arguments("protos", PROTOS, "h", "/api/deep/1", false, false, "http"),
                arguments("ws only", WS_ONLY, "h", "/", false, false, null),
                arguments("ws only", WS_ONLY, "h", "/", true, true, "ws"),
                // ssl filters, and breaks ties between rules with the same path_beg
                arguments("ssl", SSL, "h", "/", true, false, "tls"),
                arguments("ssl", SSL, "h", "/", false, false, "any"),
                arguments("ssl", SSL, "h", "/api", true, false, "tls-api"),
                arguments("ssl", SSL, "h", "/api", false, false, "plain-api"),
                arguments("ssl", SSL, "h", "/api", true, true, "tls-api"),
                // condition-less lines are reachable only by id
                arguments("hidden", HIDDEN, "h", "/", false, false, null),
                arguments("empty", List.of(), "h", "/", false, false, null));
    }

    @ParameterizedTest(name = "[{index}] {0}: host={2} path={3} tls={4} ws={5} -> {6}")
    @MethodSource("matches")
    void matchesLikePushpin(String name, List<String> lines, String host, String path, boolean tls,
            boolean websocket, String expectedId) {
        assertThat(table(lines).match(host, path, tls, websocket).map(Route::id).orElse(null))
                .isEqualTo(expectedId);
    }

    /**
     * Pushpin's pick walks the rules in file order and lets a later rule with ssl replace an earlier one without
     * it, even when the earlier one had a longer path_beg. Kept so the same file picks the same route.
     */
    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource({
        "'*,id=api,path_beg=/api t:1', '*,id=plain,ssl=no t:1', plain",
        "'*,id=plain,ssl=no t:1', '*,id=api,path_beg=/api t:1', api",
    })
    void sslTieBreakDependsOnLineOrder(String first, String second, String expectedId) {
        assertThat(table(List.of(first, second)).match("h", "/api/x", false, false).map(Route::id))
                .contains(expectedId);
    }

    static Stream<Arguments> ids() {
        return Stream.of(
                arguments(List.of("*,id=a t:1", "*,id=b,path_beg=/b t:1"), "a", "a"),
                arguments(List.of("*,id=a t:1", "*,id=b,path_beg=/b t:1"), "b", "b"),
                arguments(List.of("*,id=a t:1"), "A", null),
                arguments(List.of(",id=hidden t:1"), "hidden", "hidden"),
                // an id used twice (or more) is unusable, for both lines
                arguments(List.of("*,id=a t:1", "*,id=a,path_beg=/x t:1"), "a", null),
                arguments(List.of("*,id=a t:1", "*,id=a,path_beg=/x t:1", "h,id=a t:1"), "a", null),
                // lines without id= get one derived from the condition (Pushpin's swapped ssl words included)
                arguments(List.of("* t:1"), "*,*,*,*", "*,*,*,*"),
                arguments(List.of("example.com,proto=ws,ssl=no,path_beg=/a t:1"), "example.com,ws,ssl,/a",
                        "example.com,ws,ssl,/a"),
                arguments(List.of("*,ssl=yes t:1"), "*,*,no-ssl,*", "*,*,no-ssl,*"),
                arguments(List.of("*,id= t:1"), "*,*,*,*", "*,*,*,*"),
                // a condition-less line without id derives "*,*,*,*" too and so collides with "*"
                arguments(List.of("* t:1", ",aco t:1"), "*,*,*,*", null),
                arguments(List.of("*,id=a t:1"), "", null),
                arguments(List.of("*,id=a t:1"), null, null));
    }

    @ParameterizedTest(name = "[{index}] {0} byId({1})")
    @MethodSource("ids")
    void looksUpById(List<String> lines, String id, String expectedRouteId) {
        assertThat(table(lines).byId(id).map(Route::routeId).orElse(null)).isEqualTo(expectedRouteId);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"a, true", "b, false", "nope, false", "NULL, false"})
    void reportsSharedIds(String id, boolean shared) {
        RouteTable t = table(List.of("*,id=a t:1", "*,id=a,path_beg=/x t:1", "*,id=b,path_beg=/y t:1"));
        assertThat(t.isIdShared(id)).isEqualTo(shared);
    }

    @Test
    void duplicateConditionDoesNotClaimItsId() {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of("*,id=a t:1", "*,id=b t:2"), "routes");
        assertThat(r.table().byId("b")).isEmpty();
        assertThat(r.table().byId("a")).isPresent();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "example.com, example.com",
        "Example.COM:8080, example.com",
        "' example.com ', example.com",
        "[::1]:80, ::1",
        "[::1], ::1",
        "::1, ::1",
        "NULL, localhost",
        "'', localhost",
    })
    void normalizesRequestHost(String host, String expected) {
        assertThat(DefaultRouteTable.normalizeRequestHost(host)).isEqualTo(expected);
    }
}
