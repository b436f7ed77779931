package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The route lines a person reads at start-up, and the fix that follows a skipped line's reason. */
class RouteLogTest {
    private static List<Route> routes(String text) {
        return RoutesParser.parse(text, "routes").routes();
    }

    @Test
    void briefNamesConditionTargetsAndLine() {
        List<Route> r = routes("# comment\n* test\n"
                + "example.com,path_beg=/api/,ssl=yes localhost:8080,over_http localhost:8081\n"
                + "*,proto=ws [::1]:9000,sub=news\n");
        assertThat(r).extracting(RouteLog::brief).containsExactly(
                "* -> test  [line 2]",
                "example.com/api/ ssl=yes -> localhost:8080 (over_http) | localhost:8081  [line 3]",
                "* proto=ws -> [::1]:9000 (sub=news)  [line 4]");
    }

    @Test
    void skippedLinesSayWhatAGoodLineIs() {
        List<RoutesParser.Warning> w = RoutesParser.parse("* localhost ,over_http\n* a:99999\nexample.com\n",
                "/etc/routes").warnings();
        assertThat(w).extracting(RouteLog::explain).containsExactly(
                "/etc/routes:1: target bad format (a target is host:port, [ipv6]:port, test, zhttp/SPEC or "
                        + "zhttpreq/SPEC, options after it with commas and no spaces (localhost:8080,over_http)); "
                        + "line skipped",
                "/etc/routes:2: target invalid port (the port is a number from 1 to 65535); line skipped",
                "/etc/routes:3: must specify condition and at least one target (a line is a condition then a "
                        + "target, separated by a space: * localhost:8080); line skipped");
    }
}
