package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.testing.TestOrigin;
import org.pushpin.tnet.TnetString;

/**
 * The command socket on WebSocket-over-HTTP connections, with a libzmq REQ (python3-zmq): the {@code Connection-Id}
 * the origin sees is what {@code conncheck} names while the client is connected and forgets after, and
 * {@code refresh {cid}} makes that connection post to the origin now.
 */
@Timeout(60)
class WsOverHttpCommandTest {
    static final int COMMAND = PushpinServerExtension.freeLocalPort();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handlerTcpSpec("command_spec", COMMAND)
            .routes("* " + origin.target() + ",over_http")
            .build();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(ScriptProcess req, String method, Map<String, Object> args)
            throws Exception {
        Map<String, Object> call = Map.of("id", "x", "method", method, "args", args);
        req.send(Map.of("op", "send", "parts", List.of(HexFormat.of().formatHex(TnetString.encode(call)))));
        JsonNode reply = req.expect("reply");
        return (Map<String, Object>) TnetString.parse(HexFormat.of().parseHex(reply.get("parts").get(0).asText()));
    }

    private static List<String> texts(Object list) {
        return ((List<?>) list).stream().map(v -> new String((byte[]) v, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void conncheckAndRefreshKnowTheConnectionIdTheOriginSees() throws Exception {
        origin.on("/cmd", r -> WsOverHttpTest.events(WsOverHttpTest.OPEN).header("Keep-Alive-Interval", "-1"));
        try (ScriptProcess req = ScriptProcess.pythonZmq("zmq_peer.py", "req", "tcp://127.0.0.1:" + COMMAND)) {
            req.expect("ready");
            String cid;
            try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/cmd")) {
                cid = origin.requestsTo("/cmd").get(0).header("Connection-Id").orElseThrow();
                Map<String, Object> check = call(req, "conncheck", Map.of("ids", List.of(cid, "nobody")));
                assertThat(check.get("success")).isEqualTo(true);
                assertThat(texts(check.get("value"))).containsExactly(cid);

                int before = origin.requestsTo("/cmd").size();
                Map<String, Object> refresh = call(req, "refresh", Map.of("cid", cid));
                assertThat(refresh.get("success")).isEqualTo(true);
                Await.until(Duration.ofSeconds(15), () -> origin.requestsTo("/cmd").size() > before,
                        () -> "no request after refresh {cid}");
                assertThat(origin.requestsTo("/cmd").get(before).header("Connection-Id")).contains(cid);
            }
            Await.until(Duration.ofSeconds(15),
                    () -> texts(call(req, "conncheck", Map.of("ids", List.of(cid))).get("value")).isEmpty(),
                    () -> "conncheck still names a closed connection");
            Object condition = call(req, "refresh", Map.of("cid", cid)).get("condition");
            assertThat(new String((byte[]) condition, StandardCharsets.UTF_8)).isEqualTo("item-not-found");
        }
    }
}
