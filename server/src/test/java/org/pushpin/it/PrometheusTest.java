package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;

/**
 * The Prometheus endpoint on {@code prometheus_port} in its three forms, read by a real Prometheus parser
 * ({@code promtool check metrics} from Debian's prometheus package): Pushpin's five metrics under their exact
 * names with {@code prometheus_prefix}, and ours.
 */
@Timeout(60)
class PrometheusTest {
    static final int PORT = PushpinServerExtension.freeLocalPort();
    static final Path SOCKET = tempSocket();

    @RegisterExtension
    static final PushpinServerExtension tcp = PushpinServerExtension.builder()
            .controlApi()
            .handler("prometheus_port", "127.0.0.1:" + PORT)
            .handler("prometheus_prefix", "pp_")
            .routes("*,path_beg=/down 127.0.0.1:" + PushpinServerExtension.freeLocalPort(), "* test")
            .build();

    @RegisterExtension
    static final PushpinServerExtension unix = PushpinServerExtension.builder()
            .handler("prometheus_port", "ipc://" + SOCKET)
            .routes("* test")
            .build();

    private static Path tempSocket() {
        try {
            Path dir = Files.createTempDirectory("pp-prom");
            dir.toFile().deleteOnExit();
            return dir.resolve("metrics.sock");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anyPathAnswersTheMetricsAsPushpinNamesThem() throws Exception {
        // one request through the proxy so request_received moves
        assertThat(RawClient.exchange(tcp.httpPort(), Req.get("/")).status()).isEqualTo(200);
        RawResponse r;
        try (RawClient c = RawClient.connect(PORT)) {
            r = c.exchange(Req.get("/whatever"));
        }
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String body = r.bodyText();
        for (String name : new String[] {"request_received", "connection_connected", "connection_minute",
                "message_received", "message_sent"}) {
            assertThat(body).contains("# HELP pp_" + name + " ").containsPattern("(?m)^pp_" + name + " [0-9.eE+]+$");
        }
        assertThat(body).contains("# TYPE pp_connection_connected gauge");
        if (!PushpinServerExtension.againstReference()) {
            // 1.36 updates these from its periodic report (every stats_report_interval); ours at the scrape
            assertThat(body).containsPattern("(?m)^pp_request_received [1-9]");
            assertThat(body).contains("pp_pushpin_held_connections{kind=\"stream\"}")
                    .contains("pp_pushpin_dropped_total{reason=\"slow_client\"}")
                    .contains("pp_netty_allocator_used_bytes{area=\"direct\"}")
                    .contains("jvm_memory_used_bytes");
        }
        promtoolAccepts(body);
    }

    private static String scrape() throws Exception {
        try (RawClient c = RawClient.connect(PORT)) {
            return c.exchange(Req.get("/metrics")).bodyText();
        }
    }

    private static double value(String body, String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series)
                + " ([0-9.eE+-]+)$").matcher(body);
        assertThat(m.find()).as(series + " in\n" + body).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void deliveriesAreTimedAndOriginFailuresCounted() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "ours only");
        String before = scrape();
        double timed = value(before, "pp_pushpin_delivery_latency_seconds_count");
        double refused = value(before, "pp_pushpin_origin_errors_total{kind=\"connect\"}");
        try (HeldStream s = HeldStream.open(tcp.httpPort(), Req.get("/stream?channel=prom"))) {
            tcp.publisher().publish(Publish.item("prom").stream("hi\n"));
            s.awaitText("hi\n", java.time.Duration.ofSeconds(15));
        }
        assertThat(RawClient.exchange(tcp.httpPort(), Req.get("/down")).status()).isEqualTo(502);
        String after = scrape();
        assertThat(value(after, "pp_pushpin_delivery_latency_seconds_count")).isEqualTo(timed + 1);
        assertThat(value(after, "pp_pushpin_delivery_latency_seconds_bucket{le=\"+Inf\"}")).isEqualTo(timed + 1);
        assertThat(value(after, "pp_pushpin_origin_errors_total{kind=\"connect\"}")).isEqualTo(refused + 1);
        promtoolAccepts(after);
    }

    @Test
    void anIpcPortIsAUnixSocket() throws Exception {
        RawResponse r;
        try (RawClient c = RawClient.connectUnix(SOCKET)) {
            r = c.exchange(Req.get("/metrics"));
        }
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("# HELP request_received ");
    }

    private static void promtoolAccepts(String body) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            assertThat(System.getProperty("pushpin.it.realClients")).as("promtool is required here (apt-get install "
                    + "prometheus)").isNotEqualTo("required");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // promtool exits 3 for lint warnings (naming advice), 1 for a parse error
        assertThat(p.exitValue()).as(out).isNotEqualTo(1);
        assertThat(out).doesNotContain("error while linting");
    }
}
