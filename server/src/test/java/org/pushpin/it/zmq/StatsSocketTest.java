package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Req;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.tnet.TnetString;

/**
 * The stats socket read by a libzmq SUB (python3-zmq): {@code activity}/{@code counts} after a request, a
 * {@code report} every interval, in both formats, and a reader's type-prefix subscription seeing only its type.
 */
@Timeout(60)
class StatsSocketTest {
    static final int TNET = PushpinServerExtension.freeLocalPort();
    static final int JSON_PORT = PushpinServerExtension.freeLocalPort();

    @RegisterExtension
    static final PushpinServerExtension tnet = PushpinServerExtension.builder()
            .handlerTcpSpec("stats_spec", TNET)
            .handler("stats_report_interval", "1")
            .routes("* test")
            .build();

    @RegisterExtension
    static final PushpinServerExtension json = PushpinServerExtension.builder()
            .handlerTcpSpec("stats_spec", JSON_PORT)
            .handler("stats_format", "json")
            .handler("stats_report_interval", "1")
            .routes("* test")
            .build();

    /** A packet: its type and its fields. */
    record Packet(String type, Map<String, Object> fields) {
    }

    @org.junit.jupiter.api.BeforeEach
    void oursOnly() {
        // These wait for a first report to know the reader is connected (a PUB drops what it sends before): 1.36
        // sends reports only for routes that had traffic, and (stats_spec tcp://) its reports come from its
        // handler process with other timing, so they run against ours only.
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "1.36 reports only after traffic");
    }

    @SuppressWarnings("unchecked")
    static Packet packet(JsonNode message) throws Exception {
        byte[] frame = HexFormat.of().parseHex(message.get("parts").get(0).asText());
        int space = 0;
        while (frame[space] != ' ') {
            space++;
        }
        String type = new String(frame, 0, space, StandardCharsets.US_ASCII);
        byte kind = frame[space + 1];
        byte[] body = Arrays.copyOfRange(frame, space + 2, frame.length);
        Map<String, Object> fields = kind == 'T' ? (Map<String, Object>) TnetString.parse(body)
                : new ObjectMapper().readValue(body, Map.class);
        assertThat((char) kind).isIn('T', 'J');
        return new Packet(type, fields);
    }

    static Packet next(ScriptProcess sub, String type) throws Exception {
        JsonNode m = sub.await(e -> {
            if (!e.path("ev").asText().equals("message")) {
                return false;
            }
            String hex = e.get("parts").get(0).asText();
            return hex.startsWith(HexFormat.of().formatHex((type + " ").getBytes(StandardCharsets.US_ASCII)));
        }, Duration.ofSeconds(15));
        return packet(m);
    }

    static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
    }

    @Test
    void aRequestMakesActivityAndCountsAndReportsComeEveryInterval() throws Exception {
        try (ScriptProcess sub = ScriptProcess.pythonZmq("zmq_peer.py", "sub", "tcp://127.0.0.1:" + TNET, "")) {
            sub.expect("ready");
            // the reader is connected once a report arrives (PUB drops what is sent before)
            next(sub, "report");
            assertThat(RawClient.exchange(tnet.httpPort(), Req.get("/")).status()).isEqualTo(200);
            Packet activity = next(sub, "activity");
            assertThat(text(activity.fields().get("from"))).startsWith("pushpin-handler_");
            assertThat(((Number) activity.fields().get("count")).longValue()).isPositive();
            Packet counts = next(sub, "counts");
            assertThat(((Number) counts.fields().get("requests-received")).longValue()).isPositive();
            Packet report = next(sub, "report");
            assertThat(report.fields()).containsKeys("from", "connections", "minutes", "received", "sent",
                    "duration");
        }
    }

    @Test
    void jsonFormatAndTypePrefixSubscriptions() throws Exception {
        try (ScriptProcess sub = ScriptProcess.pythonZmq("zmq_peer.py", "sub", "tcp://127.0.0.1:" + JSON_PORT,
                "report ")) {
            sub.expect("ready");
            Packet report = next(sub, "report");
            assertThat(report.fields()).containsKeys("from", "received", "sent", "duration");
            assertThat(RawClient.exchange(json.httpPort(), Req.get("/")).status()).isEqualTo(200);
            // only reports reach a reader subscribed to "report "
            for (int i = 0; i < 2; i++) {
                JsonNode m = sub.expect("message");
                assertThat(packet(m).type()).isEqualTo("report");
            }
        }
    }
}
