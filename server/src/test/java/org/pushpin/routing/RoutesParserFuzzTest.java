package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pushpin.testing.Mutations;

/**
 * Property-based fuzzing of the routes parser: valid routes files (conditions, targets with every option, quoted
 * values, comments) mutated and cut. Whatever the file holds, parsing returns: a bad line becomes a warning with its
 * line number and the good lines are kept, as Pushpin does; it never throws, so a typo cannot stop a running
 * server from reloading its routes.
 */
class RoutesParserFuzzTest {
    private static final List<String> SEEDS = List.of(
            "# routes\n* localhost:8000\n",
            "example.com,path_beg=/api,replace_beg=/v1,id=r1,sig_key=abc,sig_iss=me localhost:8000,over_http "
                    + "127.0.0.1:8001,ssl,insecure,host=o.example\n",
            "*,ssl=yes,proto=ws,aco,session,jsonp_mode=wrap,jsonp_cb=cb,prefix=p- localhost:9000,sub=x,untrusted\n"
                    + "*.example.org,debug,log_level=3 test\n",
            "a.b,path_beg=\"/x y\",header=X-A:1 zhttp/tcp://127.0.0.1:5000,zhttpreq/tcp://127.0.0.1:5001\n"
                    + "* [::1]:8000,trust_connect_host,client_cert=c.pem,client_key=k.pem\n");

    @Provide
    Arbitrary<String> files() {
        return Mutations.textOf(SEEDS);
    }

    @Property(tries = 5000)
    void aFileAlwaysParsesIntoGoodLinesAndWarnings(@ForAll("files") String text) {
        RoutesParser.ParseResult r = RoutesParser.parse(text, "routes");
        int lines = text.split("\r?\n", -1).length;
        for (RoutesParser.Warning w : r.warnings()) {
            assertThat(w.line()).isBetween(1, lines);
            assertThat(w.reason()).isNotBlank();
        }
        // a line is a route, skipped with a warning, or kept with warnings about some of its values: never two
        // routes, and never a route and a skip (each kept line's warnings name its own line)
        java.util.Set<Integer> routeLines = new java.util.HashSet<>();
        for (Route route : r.routes()) {
            assertThat(routeLines.add(route.line())).as("one route per line").isTrue();
        }
        long skipped = r.warnings().stream().mapToInt(RoutesParser.Warning::line).filter(l -> !routeLines.contains(l))
                .distinct().count();
        assertThat(routeLines.size() + skipped).isLessThanOrEqualTo(lines);
    }

    @Property(tries = 2000)
    void aRouteArgumentAlwaysParses(@ForAll("files") String text) {
        RoutesParser.ParseResult r = RoutesParser.parseRouteArgs(List.of(text.split("\n")));
        assertThat(r.table()).isNotNull();
    }
}
