package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The routes file as a client sees it (docs/configuration.md#routes-file, docs/compatibility.md#error-answers):
 * matching, rewriting, failover, reload.
 */
@Timeout(30)
class RoutingTest {

    @RegisterExtension
    @Order(1)
    static final TestOrigin a = new TestOrigin("A");

    @RegisterExtension
    @Order(1)
    static final TestOrigin b = new TestOrigin("B");

    @RegisterExtension
    @Order(1)
    static final TestOrigin c = new TestOrigin("C");

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("# the routes of RoutingTest",
                    "",
                    "* " + a.target(),
                    "exact.test " + b.target(),
                    "api.test,path_beg=/api " + b.target(),
                    "*,path_beg=/p " + b.target(),
                    "*,path_beg=/p/q " + c.target(),
                    "*,path_beg=/strip,path_rem=6 " + b.target(),
                    "*,path_beg=/old/,replace_beg=/new/ " + b.target())
            .build();

    private static RawResponse get(PushpinServerExtension server, String host, String path) throws Exception {
        return RawClient.exchange(server.httpPort(), Req.get(path).host(host));
    }

    private static String originOf(RawResponse resp) {
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        return resp.bodyText().split(" ")[0];
    }

    @ParameterizedTest(name = "Host {0} -> {1}")
    @CsvSource({"exact.test, B", "EXACT.Test, B", "exact.test:8080, B", "other.test, A", "localhost, A"})
    void exactHostRulesWinOverTheWildcard(String host, String expectedOrigin) throws Exception {
        assertThat(originOf(get(pushpin, host, "/route/host"))).isEqualTo(expectedOrigin);
    }

    @Test
    void exactHostWithoutAMatchingPathDoesNotFallBackToTheWildcard() throws Exception {
        assertThat(originOf(get(pushpin, "api.test", "/api/x"))).isEqualTo("B");

        RawResponse resp = get(pushpin, "api.test", "/elsewhere");

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).isEqualTo("No route for host: api.test\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/p/q/r, C", "/p/q, C", "/p/x, B", "/p, B", "/pq, B", "/x, A", "/, A"})
    void longestPathBegWins(String path, String expectedOrigin) throws Exception {
        assertThat(originOf(get(pushpin, "localhost", path))).isEqualTo(expectedOrigin);
    }

    @Test
    void pathRemDropsLeadingBytes() throws Exception {
        assertThat(originOf(get(pushpin, "localhost", "/strip/rest/of/path?q=1"))).isEqualTo("B");

        assertThat(b.requests().get(0).uri()).isEqualTo("/rest/of/path?q=1");
    }

    @Test
    void replaceBegSwapsThePrefix() throws Exception {
        assertThat(originOf(get(pushpin, "localhost", "/old/thing?q=1"))).isEqualTo("B");

        assertThat(b.requests().get(0).uri()).isEqualTo("/new/thing?q=1");
    }

    @Test
    void noRouteGives502WithTheHost() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("only.test " + a.target())
                .start()) {
            RawResponse resp = get(server, "nomatch.test", "/route/none");

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.mediaType()).isEqualTo("text/plain");
            assertThat(resp.bodyText()).isEqualTo("No route for host: nomatch.test\n");
            assertThat(resp.header("Content-Length")).hasValue(Integer.toString(resp.body().length));
            assertThat(a.requests()).isEmpty();
        }
    }

    @Test
    void firstReachableTargetIsUsed() throws Exception {
        int refused = RawOrigin.closedPort();
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* 127.0.0.1:" + refused + " " + a.target() + " " + b.target())
                .start()) {
            assertThat(originOf(get(server, "localhost", "/route/failover"))).isEqualTo("A");
            assertThat(b.requests()).isEmpty();
        }
    }

    @Test
    void unreachableTargetGives502() throws Exception {
        int refused = RawOrigin.closedPort();
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* 127.0.0.1:" + refused)
                .start()) {
            RawResponse resp = get(server, "localhost", "/route/down");

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.mediaType()).isEqualTo("text/plain");
            assertThat(resp.bodyText()).isEqualTo("Error while proxying to origin.\n");
        }
    }

    @Test
    void unreachableTargetInDebugModeNamesIt() throws Exception {
        int refused = RawOrigin.closedPort();
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("debug", "true")
                .routes("* 127.0.0.1:" + refused)
                .start()) {
            RawResponse resp = get(server, "localhost", "/route/down-debug");

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.bodyText()).isEqualTo("Unable to connect to any targets. Tried: 127.0.0.1:" + refused + "\n");
        }
    }

    @Test
    void routeDebugPropGivesTheDebugMessage() throws Exception {
        int refused = RawOrigin.closedPort();
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("*,debug 127.0.0.1:" + refused)
                .start()) {
            RawResponse resp = get(server, "localhost", "/route/route-debug");

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.bodyText()).isEqualTo("Unable to connect to any targets. Tried: 127.0.0.1:" + refused + "\n");
        }
    }

    @Test
    void allTargetsUnreachableInDebugModeNamesEach() throws Exception {
        int first = RawOrigin.closedPort();
        int second = RawOrigin.closedPort();
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("debug", "true")
                .routes("* 127.0.0.1:" + first + " 127.0.0.1:" + second)
                .start()) {
            RawResponse resp = get(server, "localhost", "/route/all-down");

            assertThat(resp.status()).isEqualTo(502);
            assertThat(resp.bodyText()).isEqualTo("Unable to connect to any targets. Tried: 127.0.0.1:" + first
                    + ", 127.0.0.1:" + second + "\n");
        }
    }

    @Test
    void duplicateRuleIsSkippedAndTheFirstWins() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* " + a.target(), "* " + b.target())
                .start()) {
            assertThat(originOf(get(server, "localhost", "/route/dup"))).isEqualTo("A");
        }
    }

    @Test
    void badLinesAreSkippedAndTheRestWorks() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("this-line-has-no-target",
                        "* 127.0.0.1:notaport",
                        "*,path_beg=/bad 127.0.0.1:99999",
                        "*,path_beg=/ok " + a.target(),
                        "* id=misplaced " + b.target())
                .start()) {
            assertThat(originOf(get(server, "localhost", "/ok/1"))).isEqualTo("A");
        }
    }

    @Test
    void commandLineRoutesReplaceTheRoutesFile() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* " + a.target())
                .routeOption("* " + b.target())
                .start()) {
            assertThat(originOf(get(server, "localhost", "/route/cli"))).isEqualTo("B");
            assertThat(a.requests()).isEmpty();
        }
    }

    @Test
    void changedRoutesFileIsReloaded() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* " + a.target())
                .start()) {
            assertThat(originOf(get(server, "localhost", "/route/before"))).isEqualTo("A");

            server.writeRoutes("* " + b.target());

            Await.until(Duration.ofSeconds(5), () -> originOf(get(server, "localhost", "/route/after")).equals("B"),
                    "requests go to the new route");
        }
    }

    @Test
    void reloadKeepsWorkingRoutesWhenTheNewFileHasBadLines() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("* " + a.target())
                .start()) {
            server.writeRoutes("not a valid line at all", "* " + c.target());

            Await.until(Duration.ofSeconds(5), () -> originOf(get(server, "localhost", "/route/reload-bad")).equals("C"),
                    "requests go to the valid line of the new file");
        }
    }
}
