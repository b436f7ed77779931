package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values were taken from Pushpin 1.36 with an origin that echoes the request it gets. */
class RouteRewriteTest {

    private static Route route(String line) {
        RoutesParser.ParseResult r = RoutesParser.parse(List.of(line), "routes");
        assertThat(r.warnings()).isEmpty();
        return r.routes().get(0);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "*,path_beg=/rem,path_rem=4 h:1                | /rem/x?q=1 | /x?q=1",
        "*,path_beg=/rem,path_rem=4 h:1                | /rem?q=1   | /?q=1",
        "*,path_beg=/rem,path_rem=4 h:1                | /rem       | /",
        "*,path_beg=/big,path_rem=99 h:1               | /big/x?y   | /?y",
        "*,path_rem=3 h:1                              | /ab?cdef   | /?cdef",
        "*,path_beg=/rep,replace_beg=/new h:1          | /rep/x?z=1 | /new/x?z=1",
        "*,path_beg=/rep,replace_beg=/new h:1          | /rep       | /new",
        "*,path_beg=/rpr,path_rem=1,replace_beg=/X h:1 | /rpr/abc   | /X/abc",
        "*,path_beg=/rbe,replace_beg= h:1              | /rbe/abc   | /abc",
        "*,path_beg=/rbe,replace_beg= h:1              | /rbe       | /",
        "*,path_beg=/api/,replace_beg=/ h:1            | /api/v1?a  | /v1?a",
        "*,replace_beg=/pre h:1                        | /a         | /pre/a",
        "* h:1                                         | /a?b       | /a?b",
        "*,path_beg=/a h:1                             | /a/b       | /a/b",
        "*,path_rem=0 h:1                              | /a         | /a",
        // Pushpin sends no request for this one (502 "Error while proxying to origin.")
        "*,path_beg=/one,path_rem=1 h:1                | /one/x     | one/x",
    })
    void rewritesOriginPath(String line, String in, String expected) {
        assertThat(RouteRewrite.originPath(route(line), in)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} client={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "* h:1                                                | Client.Example:8440 | client.example:8440",
        "* h:1                                                | a                   | a",
        "* h:1                                                | a:80                | a:80",
        "* h:1                                                | NULL                | localhost",
        "* h:1                                                | ''                  | localhost",
        "* h:1                                                | [::1]:8440          | [::1]:8440",
        "*,as_host=foo.example h:1                            | a:8440              | foo.example",
        "*,as_host=Foo.Example:99 h:1                         | a                   | foo.example:99",
        "*,as_host=foo.example h:1                            | NULL                | foo.example",
        "*,as_host=foo.example:99 h:1,host=bar.example        | a                   | bar.example",
        "* h:1,host=bar.example:77                            | a:1                 | bar.example:77",
        "* h:1,host=                                          | a:1                 | a:1",
    })
    void choosesHostHeader(String line, String clientHost, String expected) {
        Route r = route(line);
        assertThat(RouteRewrite.hostHeader(r, r.targets().get(0), clientHost)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "* a:1,host=first b:2   | 0 | first",
        "* a:1,host=first b:2   | 1 | c",
    })
    void hostIsPerTarget(String line, int target, String expected) {
        Route r = route(line);
        assertThat(RouteRewrite.hostHeader(r, r.targets().get(target), "c")).isEqualTo(expected);
    }
}
