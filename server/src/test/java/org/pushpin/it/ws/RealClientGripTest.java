package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * Fanout's own libraries against our server: {@code @fanoutio/serve-grip} + {@code @fanoutio/grip}'s
 * WebSocketContext as a WebSocket-over-HTTP origin (accept, subscribe, echo; docs/websocket.md §3) with npm {@code ws} as
 * the client, and {@code @fanoutio/grip}'s Publisher publishing {@code ws-message} items through our control API
 * (text, binary, close).
 */
@Timeout(60)
class RealClientGripTest {
    private static final List<String> PACKAGES = List.of("ws", "@fanoutio/grip", "@fanoutio/serve-grip");
    private static ScriptProcess origin;
    private static ScriptProcess publisher;
    private static PushpinServerExtension pushpin;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptProcess.node("woh-origin.mjs", PACKAGES);
        int port = origin.expect("listening").get("port").asInt();
        pushpin = PushpinServerExtension.builder().controlApi().routes("* 127.0.0.1:" + port + ",over_http").start();
        // the control API's port is known only now
        origin.send(Map.of("op", "control", "uri", pushpin.controlUrl("/")));
        origin.expect("configured");
        publisher = ScriptProcess.node("grip-publish.mjs", PACKAGES, pushpin.controlUrl("/"));
        publisher.expect("ready");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {publisher, origin, pushpin}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    /** A npm ws client on an over-HTTP connection whose origin subscribed it to {@code channel}. */
    private static ScriptProcess connect(String channel) throws Exception {
        ScriptProcess c = ScriptProcess.node("ws-client.mjs", PACKAGES,
                "ws://127.0.0.1:" + pushpin.httpPort() + "/woh?ch=" + channel);
        c.expect("open");
        return c;
    }

    /** Publishes sync messages until the client shows its subscription is active (it is made after the OPEN). */
    private static void awaitSubscribed(ScriptProcess client, String channel) throws Exception {
        for (int i = 0; ; i++) {
            publisher.send(Map.of("op", "ws-message", "channel", channel, "content", "sync-" + i));
            publisher.expect("published");
            try {
                client.await(e -> e.path("data").asText().startsWith("sync-"), Duration.ofMillis(300));
                return;
            } catch (AssertionError notYet) {
                if (i > 50) {
                    throw notYet;
                }
            }
        }
    }

    private static List<List<String>> events(JsonNode request) {
        List<List<String>> out = new ArrayList<>();
        request.get("events").forEach(e -> out.add(List.of(e.get(0).asText(), e.get(1).asText(""))));
        return out;
    }

    @Test
    void theWebSocketContextAcceptsAndEchoes() throws Exception {
        try (ScriptProcess c = connect("echo-ch")) {
            JsonNode open = origin.await(e -> e.path("ev").asText().equals("request")
                    && events(e).get(0).get(0).equals("OPEN"), Duration.ofSeconds(10));
            assertThat(open.get("path").asText()).isEqualTo("/woh?ch=echo-ch");
            String connectionId = open.get("connectionId").asText();
            assertThat(connectionId).isNotBlank();
            c.send(Map.of("op", "text", "data", "hello grip"));
            assertThat(c.expect("text").get("data").asText()).isEqualTo("echo: hello grip");
            JsonNode text = origin.await(e -> e.path("ev").asText().equals("request")
                    && e.get("connectionId").asText().equals(connectionId), Duration.ofSeconds(10));
            assertThat(events(text)).containsExactly(List.of("TEXT", "hello grip"));
            c.send(Map.of("op", "close", "code", 1000, "reason", "done"));
            assertThat(c.expect("close").get("code").asInt()).isEqualTo(1000);
            JsonNode close = origin.await(e -> e.path("ev").asText().equals("request")
                    && e.get("connectionId").asText().equals(connectionId), Duration.ofSeconds(10));
            assertThat(events(close).get(0).get(0)).isEqualTo("CLOSE");
        }
    }

    @Test
    void thePublishersWsMessagesReachTheSubscribedWebSocket() throws Exception {
        try (ScriptProcess c = connect("pub-ch")) {
            awaitSubscribed(c, "pub-ch");
            publisher.send(Map.of("op", "ws-message", "channel", "pub-ch", "content", "from the publisher"));
            publisher.expect("published");
            assertThat(c.await(e -> !e.path("data").asText().startsWith("sync-"), Duration.ofSeconds(10)))
                    .isEqualTo(text("from the publisher"));
            publisher.send(Map.of("op", "ws-message", "channel", "pub-ch", "hex", "0001feff"));
            publisher.expect("published");
            JsonNode bin = c.expect("binary");
            assertThat(bin.get("hex").asText()).isEqualTo("0001feff");
            publisher.send(Map.of("op", "ws-close", "channel", "pub-ch", "code", 4003));
            publisher.expect("published");
            assertThat(c.expect("close").get("code").asInt()).isEqualTo(4003);
        }
    }

    @Test
    void theOriginsOwnPublisherReachesTheWebSocket() throws Exception {
        try (ScriptProcess c = connect("serve-grip-ch")) {
            awaitSubscribed(c, "serve-grip-ch");
            origin.send(Map.of("op", "publish", "channel", "serve-grip-ch", "content", "from serve-grip"));
            origin.await(e -> e.path("ev").asText().equals("published"), Duration.ofSeconds(10));
            assertThat(c.await(e -> !e.path("data").asText().startsWith("sync-"), Duration.ofSeconds(10)))
                    .isEqualTo(text("from serve-grip"));
        }
    }

    private static JsonNode text(String data) {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("ev", "text")
                .put("data", data);
    }
}
