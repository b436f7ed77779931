package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;

/**
 * At the open-files limit (a server process started under {@code prlimit --nofile=256}), flooded with more
 * connections than it can open: a connection it already has is still served, the server does not spin (it backs
 * off accepting instead of retrying in a busy loop), logs the condition a bounded number of times, and serves new
 * clients again once files are free.
 */
@Timeout(90)
class FileLimitTest {
    @TempDir
    Path dir;

    @Test
    void atTheFileLimitExistingClientsAreServedNothingSpinsAndServiceRecovers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")),
                "prlimit (util-linux) missing");
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "ours only");
        int port = PushpinServerExtension.freeLocalPort();
        Path conf = dir.resolve("pushpin.conf");
        Files.writeString(conf, "[runner]\nhttp_port=127.0.0.1:" + port + "\n[handler]\npush_in_http_addr=127.0.0.1\n"
                + "push_in_http_port=" + PushpinServerExtension.freeLocalPort()
                + "\npush_in_spec=\ncommand_spec=\nstats_spec=\npush_in_sub_specs=\n");
        Files.writeString(dir.resolve("routes"), "* test\n");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder("/usr/bin/prlimit", "--nofile=256:256",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                "org.pushpin.cli.PushpinMain", "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> flood = new ArrayList<>();
        try (RawClient existing = awaitServing(port, p, log)) {
            assertThat(existing.exchange(Req.get("/")).status()).isEqualTo(200);
            byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 400; i++) {
                Socket s = new Socket("127.0.0.1", port); // the kernel completes it; the server may not take it
                s.getOutputStream().write(request);
                flood.add(s);
            }
            // at the limit: the connection it has is still served
            assertThat(existing.exchange(Req.get("/")).status()).isEqualTo(200);
            // and it does not spin: CPU over two seconds well under one core
            Duration before = p.toHandle().info().totalCpuDuration().orElseThrow();
            long wallStart = System.nanoTime();
            Await.until(Duration.ofSeconds(10), () -> System.nanoTime() - wallStart > 2_000_000_000L, "two seconds");
            Duration used = p.toHandle().info().totalCpuDuration().orElseThrow().minus(before);
            assertThat(used).as("server CPU during 2 s at the file limit").isLessThan(Duration.ofMillis(1000));
            for (Socket s : flood) {
                s.close();
            }
            flood.clear();
            // files free again: new clients are served
            Await.until(Duration.ofSeconds(20), () -> {
                try (RawClient c = RawClient.connect(port).timeout(Duration.ofSeconds(2))) {
                    return c.exchange(Req.get("/")).status() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, "new clients served again after the flood left");
            long lines = Files.readAllLines(log).stream().filter(l -> l.contains("Too many open files")).count();
            assertThat(lines).as("log lines about the file limit").isLessThan(40);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            p.destroy();
            p.waitFor();
        }
    }

    private static RawClient awaitServing(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(log));
            }
            try {
                RawClient c = RawClient.connect(port);
                RawResponse r = c.exchange(Req.get("/"));
                if (r.status() == 200) {
                    return c;
                }
                c.close();
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("server did not start: " + Files.readString(log));
                }
                Thread.sleep(100); // polling a process that is starting: nothing to wait on but its port
            }
        }
    }
}
