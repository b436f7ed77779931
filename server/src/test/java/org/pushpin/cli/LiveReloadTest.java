package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinProcess;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.Req;

/**
 * SIGHUP re-reads pushpin.conf and applies what can change while running, without a restart: here a client
 * request timeout and an origin timeout turned on, and a service's log level raised, each seen by a client or in
 * the log; a setting that needs a restart is named as such; a file that cannot be used changes nothing.
 */
@Timeout(60)
class LiveReloadTest {
    @TempDir
    Path dir;

    @Test
    void timeoutsAndLogLevelsChangedBySighupApplyToTheNextConnections() throws Exception {
        int port = PushpinServerExtension.freeLocalPort();
        try (RawOrigin stalling = RawOrigin.stalling();
             PushpinProcess p = PushpinProcess.start(dir,
                     conf(port, "client_request_timeout=0\nlog_level=2\n", "origin_timeout=0\n"),
                     routes(stalling))) {
            p.writeConf(conf(port, "client_request_timeout=1\nlog_level=2,proxy:3\nclient_maxconn=77\n",
                    "origin_timeout=1\n"));
            p.hangUp();
            // the lines of what was applied come first, then those of what waits for a restart
            Await.until(Duration.ofSeconds(15), () -> p.stdout().contains(
                    "SIGHUP: [runner] client_maxconn changed (50000 -> 77): needs a restart"),
                    () -> "the SIGHUP was not reported: " + p.stdout());
            assertThat(p.stdout())
                    .contains("SIGHUP: [runner] client_request_timeout changed (0 -> 1): applied")
                    .contains("SIGHUP: [proxy] origin_timeout changed (0 -> 1): applied")
                    .contains("SIGHUP: [runner] log_level changed (2 -> 2,proxy:3): applied")
                    .doesNotContain("[DEBUG]");

            // a connection that sends nothing is now closed, and the proxy (now at debug) says why
            try (RawClient idle = RawClient.connect(port)) {
                assertThat(idle.awaitClosed(Duration.ofSeconds(15))).as("idle connection closed").isTrue();
            }
            assertThat(p.stdout()).contains("[DEBUG]").contains("client sent no complete request within 1 s");

            // an origin that never answers now gets the client a 502
            assertThat(RawClient.exchange(port, Req.get("/stall")).status()).isEqualTo(502);
        }
    }

    @Test
    void aFileThatCannotBeUsedChangesNothing() throws Exception {
        int port = PushpinServerExtension.freeLocalPort();
        try (PushpinProcess p = PushpinProcess.start(dir, conf(port, "client_request_timeout=0\n", ""), "* test")) {
            p.writeConf(conf(port, "client_request_timeout=1\nclient_buffer_size=many\n", ""));
            p.hangUp();
            Await.until(Duration.ofSeconds(15), () -> p.stdout().contains("not applied"),
                    () -> "no word of the unusable file: " + p.stdout());
            assertThat(p.stdout()).contains("invalid integer \"many\"").doesNotContain("client_request_timeout");
            try (RawClient c = RawClient.connect(port)) {
                assertThat(c.exchange(Req.get("/")).status()).as("still serving").isEqualTo(200);
            }
        }
    }

    private static String routes(RawOrigin stalling) {
        return "*,path_beg=/stall " + stalling.target() + "\n* test";
    }

    private static String conf(int port, String runner, String proxy) {
        return "[runner]\nhttp_port=127.0.0.1:" + port + "\nshutdown_grace=0\n" + runner
                + "[proxy]\n" + proxy + "[handler]\npush_in_spec=\ncommand_spec=\nstats_spec=\n";
    }
}
