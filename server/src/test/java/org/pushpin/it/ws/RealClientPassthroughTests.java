package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * What a real WebSocket client sees through a passthrough route to a real WebSocket origin (docs/websocket.md §1): the
 * same checks for each client library (npm {@code ws}, Debian's python3-websockets), each paired with an echo
 * origin written with the same library. The route is a GRIP route whose origin ignores the grip extension, so
 * frames pass as they are.
 */
@Timeout(60)
abstract class RealClientPassthroughTests {
    private static ScriptProcess origin;
    private static PushpinServerExtension pushpin;

    /** Starts the origin (its first event is {@code listening {port}}) and a server routing to it. */
    static void start(ScriptProcess echoOrigin) throws Exception {
        origin = echoOrigin;
        int port = origin.expect("listening").get("port").asInt();
        pushpin = PushpinServerExtension.builder().proxy("sig_iss", "pushpin").proxy("sig_key", "changeme")
                .routes("* 127.0.0.1:" + port).start();
    }

    @AfterAll
    static void stop() {
        if (pushpin != null) {
            pushpin.close();
            pushpin = null;
        }
        if (origin != null) {
            origin.close();
            origin = null;
        }
    }

    /** A client of this library connecting to {@code url}, offering these subprotocols. */
    abstract ScriptProcess client(String url, String... subprotocols) throws Exception;

    /** A subprotocol both echo origins accept (chat and superchat; the first offered that they know is chosen). */
    static String subprotocol() {
        return "superchat";
    }

    static String url(String path) {
        return "ws://127.0.0.1:" + pushpin.httpPort() + path;
    }

    private static JsonNode originConnection(String path) throws InterruptedException {
        return origin.await(e -> e.path("ev").asText().equals("connection") && e.path("path").asText().equals(path),
                java.time.Duration.ofSeconds(10));
    }

    static List<String> names(JsonNode headers) {
        List<String> out = new ArrayList<>();
        headers.forEach(h -> out.add(h.get(0).asText().toLowerCase()));
        return out;
    }

    static String header(JsonNode headers, String name) {
        for (JsonNode h : headers) {
            if (h.get(0).asText().equalsIgnoreCase(name)) {
                return h.get(1).asText();
            }
        }
        return null;
    }

    @Test
    void textAndBinaryMessagesAreEchoedThroughTheProxy() throws Exception {
        try (ScriptProcess c = client(url("/echo"))) {
            JsonNode open = c.expect("open");
            assertThat(names(open.get("headers"))).doesNotContain("sec-websocket-extensions");
            c.send(Map.of("op", "text", "data", "héllo wörld"));
            assertThat(c.expect("text").get("data").asText()).isEqualTo("héllo wörld");
            c.send(Map.of("op", "binary", "hex", "00ff10fe"));
            assertThat(c.expect("binary").get("hex").asText()).isEqualTo("00ff10fe");
            String big = "x".repeat(40_000);
            c.send(Map.of("op", "text", "data", big));
            assertThat(c.expect("text").get("data").asText()).isEqualTo(big);
            c.send(Map.of("op", "close", "code", 1000, "reason", ""));
            assertThat(c.expect("close").get("code").asInt()).isEqualTo(1000);
        }
        // the origin was offered the grip extension (GRIP route), with our signature
        JsonNode seen = originConnection("/echo");
        assertThat(header(seen.get("headers"), "Sec-WebSocket-Extensions")).isEqualTo("grip");
        assertThat(header(seen.get("headers"), "Grip-Sig")).isNotBlank();
    }

    @Test
    void theClientsCloseCodeAndReasonReachTheOriginAndComeBack() throws Exception {
        try (ScriptProcess c = client(url("/client-close"))) {
            c.expect("open");
            c.send(Map.of("op", "close", "code", 4000, "reason", "client says bye"));
            JsonNode close = c.expect("close");
            assertThat(close.get("code").asInt()).isEqualTo(4000);
            assertThat(close.get("reason").asText()).isEqualTo("client says bye");
        }
        originConnection("/client-close");
        JsonNode atOrigin = origin.await(e -> e.path("ev").asText().equals("close"), java.time.Duration.ofSeconds(10));
        assertThat(atOrigin.get("code").asInt()).isEqualTo(4000);
        assertThat(atOrigin.get("reason").asText()).isEqualTo("client says bye");
    }

    @Test
    void theOriginsCloseCodeAndReasonReachTheClient() throws Exception {
        try (ScriptProcess c = client(url("/origin-close"))) {
            c.expect("open");
            c.send(Map.of("op", "text", "data", "close-me"));
            JsonNode close = c.expect("close");
            assertThat(close.get("code").asInt()).isEqualTo(4001);
            assertThat(close.get("reason").asText()).isEqualTo("origin says bye");
        }
    }

    @Test
    void theSubprotocolTheOriginChoseIsTheClients() throws Exception {
        try (ScriptProcess c = client(url("/proto"), "unknown-proto", subprotocol())) {
            JsonNode open = c.expect("open");
            assertThat(open.get("protocol").asText()).isEqualTo(subprotocol());
            assertThat(header(open.get("headers"), "Sec-WebSocket-Protocol")).isEqualTo(subprotocol());
            c.send(Map.of("op", "text", "data", "with a subprotocol"));
            assertThat(c.expect("text").get("data").asText()).isEqualTo("with a subprotocol");
        }
        JsonNode seen = originConnection("/proto");
        assertThat(header(seen.get("headers"), "Sec-WebSocket-Protocol")).contains("unknown-proto");
    }
}
