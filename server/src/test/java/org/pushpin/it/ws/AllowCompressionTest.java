package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * {@code [runner] allow_compression} (Pushpin 1.37): permessage-deflate is agreed with a WebSocket client that offers
 * it (Debian's python3-websockets, which then compresses what it sends), and not without the setting
 * (docs/websocket.md#1-passthrough).
 */
@Timeout(60)
class AllowCompressionTest {
    private static ScriptProcess origin;
    private static PushpinServerExtension compressing;
    private static PushpinServerExtension plain;

    @BeforeAll
    static void startAll() throws Exception {
        origin = ScriptProcess.python("ws_peer.py", "echo-origin");
        int port = origin.expect("listening").get("port").asInt();
        compressing = PushpinServerExtension.builder().runner("allow_compression", "true")
                .routes("* 127.0.0.1:" + port).start();
        plain = PushpinServerExtension.builder().routes("* 127.0.0.1:" + port).start();
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {compressing, plain, origin}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    private static JsonNode open(ScriptProcess client) throws InterruptedException {
        JsonNode ev = client.next(Duration.ofSeconds(10));
        assertThat(ev.path("ev").asText()).as("%s", ev).isEqualTo("open");
        return ev;
    }

    private static String extensions(JsonNode open) {
        for (JsonNode h : open.get("headers")) {
            if (h.get(0).asText().equalsIgnoreCase("Sec-WebSocket-Extensions")) {
                return h.get(1).asText();
            }
        }
        return null;
    }

    @Test
    void aClientThatOffersDeflateGetsItAndItsCompressedMessagesGoThrough() throws Exception {
        String big = "compressible ".repeat(2000);
        try (ScriptProcess c = ScriptProcess.python("ws_peer.py", "client-deflate",
                "ws://127.0.0.1:" + compressing.httpPort() + "/deflate")) {
            assertThat(extensions(open(c))).startsWith("permessage-deflate");
            c.send(Map.of("op", "text", "data", big));
            JsonNode echoed = c.next(Duration.ofSeconds(10));
            assertThat(echoed.path("ev").asText()).as("%s", echoed).isEqualTo("text");
            assertThat(echoed.get("data").asText()).isEqualTo(big);
        }
    }

    @Test
    void aClientThatOffersNothingIsUncompressed() throws Exception {
        try (ScriptProcess c = ScriptProcess.python("ws_peer.py", "client",
                "ws://127.0.0.1:" + compressing.httpPort() + "/none")) {
            assertThat(extensions(open(c))).isNull();
            c.send(Map.of("op", "text", "data", "hello"));
            assertThat(c.next(Duration.ofSeconds(10)).get("data").asText()).isEqualTo("hello");
        }
    }

    @Test
    void withoutTheSettingDeflateIsNotAgreed() throws Exception {
        try (ScriptProcess c = ScriptProcess.python("ws_peer.py", "client-deflate",
                "ws://127.0.0.1:" + plain.httpPort() + "/off")) {
            assertThat(extensions(open(c))).isNull();
            c.send(Map.of("op", "text", "data", "hello"));
            assertThat(c.next(Duration.ofSeconds(10)).get("data").asText()).isEqualTo("hello");
        }
    }
}
