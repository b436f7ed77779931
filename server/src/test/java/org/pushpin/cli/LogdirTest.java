package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pushpin.testing.Await;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinProcess;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Req;

/**
 * {@code logdir} and per-service log levels, as Pushpin 1.36 lays them out: each service writes its own file in
 * {@code logdir} ({@code condure.log}, {@code pushpin-proxy.log}, {@code pushpin-handler.log}) while the runner's
 * lines stay on standard output; {@code log_level=2,pushpin-handler:3} makes only the handler verbose;
 * {@code --merge-output} keeps every line with the runner's.
 */
@Timeout(60)
class LogdirTest {
    @TempDir
    Path dir;

    @Test
    void eachServiceWritesItsOwnFileAndOnlyTheNamedServiceLogsDebugLines() throws Exception {
        int port = PushpinServerExtension.freeLocalPort();
        int control = PushpinServerExtension.freeLocalPort();
        Path logdir = dir.resolve("logs");
        try (PushpinProcess p = PushpinProcess.start(dir,
                conf(port, control, "logdir=" + logdir + "\nlog_level=2,pushpin-handler:3\n"), "* test")) {
            assertThat(RawClient.exchange(port, Req.get("/?a-request")).status()).isEqualTo(200);
            // the proxy's debug line for this one ("client sent no complete request") is written before the close
            try (RawClient idle = RawClient.connect(port)) {
                assertThat(idle.awaitClosed(Duration.ofSeconds(15))).as("idle connection closed").isTrue();
            }
            // a repeated id is dropped with a handler debug line
            Publish publish = Publish.to(control);
            publish.publish(Publish.item("c").id("1").stream("x\n"));
            publish.publish(Publish.item("c").id("1").stream("x\n"));

            Path handlerLog = logdir.resolve("pushpin-handler.log");
            Path proxyLog = logdir.resolve("pushpin-proxy.log");
            Await.until(Duration.ofSeconds(15),
                    () -> PushpinProcess.read(handlerLog).contains("dropping item with duplicate id"),
                    () -> "no handler debug line: " + PushpinProcess.read(handlerLog));
            assertThat(PushpinProcess.read(handlerLog)).contains("publish channel=c receivers=0");
            assertThat(PushpinProcess.read(proxyLog)).contains("GET http://localhost/?a-request")
                    .doesNotContain("[DEBUG]");
            assertThat(PushpinProcess.read(logdir.resolve("condure.log"))).contains("listening on");
            assertThat(p.stdout()).contains("started").doesNotContain("a-request").doesNotContain("publish channel");
        }
    }

    @Test
    void mergeOutputKeepsEveryLineWithTheRunner() throws Exception {
        int port = PushpinServerExtension.freeLocalPort();
        Path logdir = dir.resolve("logs");
        try (PushpinProcess p = PushpinProcess.start(dir, conf(port, -1, "logdir=" + logdir + "\n"), "* test",
                "--merge-output")) {
            assertThat(RawClient.exchange(port, Req.get("/?merged")).status()).isEqualTo(200);
            Await.until(Duration.ofSeconds(15), () -> p.stdout().contains("/?merged"),
                    () -> "no request line on standard output: " + p.stdout());
            assertThat(p.stdout()).contains("listening on");
            assertThat(logdir).doesNotExist();
        }
    }

    @Test
    void aLogdirThatCannotBeCreatedStopsTheStart() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "");
        Files.writeString(dir.resolve("pushpin.conf"), conf(PushpinServerExtension.freeLocalPort(), -1,
                "logdir=" + file.resolve("logs") + "\n"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, "org.pushpin.cli.PushpinMain", "--config", dir.resolve("pushpin.conf").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(1);
        assertThat(out).contains("error: failed to create directory: " + file.resolve("logs"));
    }

    /** Listening on {@code port}; the control API on {@code control} unless it is -1; no ZeroMQ inputs. */
    private static String conf(int port, int control, String runner) {
        return "[runner]\nhttp_port=127.0.0.1:" + port + "\nshutdown_grace=0\nclient_request_timeout=1\n" + runner
                + "[handler]\npush_in_spec=\ncommand_spec=\nstats_spec=\nid_cache_ttl=60\n"
                + (control < 0 ? "" : "push_in_http_addr=127.0.0.1\npush_in_http_port=" + control + "\n");
    }
}
