package org.pushpin.it.sockjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * A SockJS session reaches an {@code over_http} origin as WebSocket-over-HTTP, as any WebSocket client would:
 * npm {@code sockjs-client} against {@code @fanoutio/serve-grip}, which accepts, echoes {@code echo: <text>} and
 * closes back.
 */
@Timeout(60)
class SockJsOverHttpTest {
    private static ScriptProcess origin;
    private static PushpinServerExtension pushpin;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptProcess.node("woh-origin.mjs", List.of("@fanoutio/serve-grip", "@fanoutio/grip"));
        int port = origin.expect("listening").get("port").asInt();
        pushpin = PushpinServerExtension.builder().routes("*,sockjs=/wsock 127.0.0.1:" + port + ",over_http").start();
    }

    @AfterAll
    static void stop() {
        if (pushpin != null) {
            pushpin.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "xhr-polling"})
    void aSessionIsOneWebSocketOverHttpConnection(String transport) throws Exception {
        String path = (transport.equals("websocket") ? "/wsock/websocket" : "/wsock") + "?t=" + transport;
        try (ScriptProcess c = ScriptProcess.node("sockjs-client.mjs", List.of("sockjs-client"),
                pushpin.url("/wsock?t=" + transport), transport)) {
            c.expect("open");
            JsonNode opened = origin.await(e -> e.path("ev").asText().equals("request")
                    && e.path("path").asText().equals(path), Duration.ofSeconds(10));
            assertThat(opened.get("events").get(0).get(0).asText()).isEqualTo("OPEN");
            c.send(Map.of("op", "send", "data", "over http"));
            assertThat(c.expect("message").get("data").asText()).isEqualTo("echo: over http");
        }
    }
}
