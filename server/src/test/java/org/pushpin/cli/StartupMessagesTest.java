package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinProcess;

/** What a person reads when starting {@code pushpin} (a real process): the routes, where to reach it, what failed. */
@Timeout(60)
class StartupMessagesTest {
    @TempDir
    Path dir;

    @Test
    void listsRoutesSkippedLinesWithTheirFixAndWhereToReachIt() throws Exception {
        String conf = "[runner]\nhttp_port=127.0.0.1:0\nshutdown_grace=0\n[handler]\npush_in_http_addr=127.0.0.1\n"
                + "push_in_http_port=0\n";
        try (PushpinProcess p = PushpinProcess.start(dir, conf, "* test\nexample.com localhost")) {
            Await.until(Duration.ofSeconds(10), () -> p.stdout().contains("ready:"), p::stdout);
            String out = p.stdout();
            assertThat(out).contains("routes loaded with 1 entries", "route: * -> test  [line 1]",
                    "routes:2: target bad format (a target is host:port, [ipv6]:port, test, zhttp/SPEC or "
                            + "zhttpreq/SPEC, options after it with commas and no spaces (localhost:8080,over_http)); "
                            + "line skipped");
            assertThat(out).containsPattern("ready: clients on http://127\\.0\\.0\\.1:\\d+; control API on "
                    + "http://127\\.0\\.0\\.1:\\d+ \\(pushpin-java \\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    void aPortTakenByAnotherProcessIsNamedWithItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Path conf = dir.resolve("pushpin.conf");
            Files.writeString(conf, "[runner]\nhttp_port=127.0.0.1:0\n[handler]\npush_in_http_addr=127.0.0.1\n"
                    + "push_in_http_port=" + port + "\n");
            Files.writeString(dir.resolve("routes"), "* test\n");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path out = dir.resolve("out.txt");
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "org.pushpin.cli.PushpinMain", "--config", conf.toString()))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(Files.readString(out)).contains("failed to start: address already in use: [handler] "
                    + "push_in_http_port 127.0.0.1:" + port + " (another process listens there");
        }
    }
}
