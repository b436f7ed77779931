package org.pushpin.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.testing.SelfSignedCert;

/**
 * A real browser on the chat example (examples/chat): headless Chromium, driven by npm {@code playwright-core},
 * opens the page through our server; the origin is the example's own, written with Fanout's
 * {@code @fanoutio/serve-grip} and publishing with {@code @fanoutio/grip}'s Publisher. Each test reads what the page
 * shows: the ids of the messages it received, in order, with no de-duplication on the page. A screenshot of each
 * page is kept in {@code server/target/browser/}.
 */
@Timeout(120)
class BrowserChatTest {
    private static final Path SHOTS = Path.of("target/browser");
    private static PushpinServerExtension pushpin;
    private static ScriptProcess origin;
    private static ScriptProcess browser;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        browser = ScriptProcess.node("browser-chat.mjs", List.of("playwright-core"));
        int port = PushpinServerExtension.freeLocalPort();
        pushpin = PushpinServerExtension.builder().controlApi()
                // signed requests (Grip-Sig) are how serve-grip knows a GRIP proxy is in front
                .proxy("sig_key", "changeme")
                // TLS with ALPN: Chromium speaks HTTP/2 to it (the HTTP/2 case)
                .runner("http2", "true").httpsPorts("127.0.0.1:0").defaultTlsCertificate(SelfSignedCert.generate("localhost"))
                .handler("history_size", "100").handler("history_ttl", "300")
                .routes("* 127.0.0.1:" + port + ",over_http").start();
        origin = ScriptProcess.nodeExample("chat", "origin.mjs",
                Map.of("PORT", String.valueOf(port), "PUSHPIN_CONTROL", pushpin.controlUrl("/")));
        origin.await(e -> e.path("line").asText().contains("listening"), Duration.ofSeconds(20));
        browser.expect("ready");
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser, origin, pushpin}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void eventSourceReceivesPostsAndResumesAfterItsStreamIsDropped(TestInfo info) throws Exception {
        open("sse-room", "sse");
        post("one");
        post("two");
        waitFor(List.of("1", "2"), 1);
        // The server closes every stream of the room; while the browser waits to reconnect, two more are posted.
        // EventSource comes back with Last-Event-ID: 2, and history replays 3 and 4 before anything live.
        postOutsideThePage("sse-room", "drop", "{}");
        postOutsideThePage("sse-room", "messages", "{\"user\":\"bot\",\"text\":\"three\"}");
        postOutsideThePage("sse-room", "messages", "{\"user\":\"bot\",\"text\":\"four\"}");
        JsonNode s = waitFor(List.of("1", "2", "3", "4"), 2);
        post("five");
        s = waitFor(List.of("1", "2", "3", "4", "5"), 2);
        assertThat(s.path("opens").asInt()).isEqualTo(2);
        screenshot(info);
    }

    /** The same page over HTTPS: Chromium negotiates h2, and the stream and the posts share one HTTP/2 connection. */
    @Test
    void eventSourceOverHttp2ReceivesPosts(TestInfo info) throws Exception {
        browser.send(Map.of("op", "open", "url",
                "https://localhost:" + pushpin.httpsPort() + "/?room=h2-room&transport=sse"));
        JsonNode e = browser.await(n -> n.path("ev").asText().matches("opened|timeout"), Duration.ofSeconds(30));
        assertThat(e.path("ev").asText()).as("page %s", e).isEqualTo("opened");
        browser.send(Map.of("op", "protocol"));
        assertThat(browser.expect("protocol").path("protocol").asText()).isEqualTo("h2");
        post("over HTTP/2");
        post("again");
        waitFor(List.of("1", "2"), 1);
        screenshot(info);
    }

    @Test
    void webSocketReceivesPosts(TestInfo info) throws Exception {
        open("ws-room", "ws");
        post("hello over a WebSocket");
        post("second");
        waitFor(List.of("1", "2"), 1);
        screenshot(info);
    }

    @Test
    void longPollLoopReceivesPosts(TestInfo info) throws Exception {
        open("poll-room", "poll");
        post("first poll");
        waitFor(List.of("1"), 1);
        post("second poll");
        post("third poll");
        waitFor(List.of("1", "2", "3"), 1);
        screenshot(info);
    }

    private static void open(String room, String transport) throws Exception {
        browser.send(Map.of("op", "open", "url", pushpin.url("/?room=" + room + "&transport=" + transport)));
        JsonNode e = browser.await(n -> n.path("ev").asText().matches("opened|timeout"), Duration.ofSeconds(30));
        assertThat(e.path("ev").asText()).as("page %s\n%s", e, pushpin.log()).isEqualTo("opened");
    }

    private static void post(String text) throws Exception {
        browser.send(Map.of("op", "post", "text", text));
        assertThat(browser.expect("posted").path("status").asInt()).isEqualTo(201);
    }

    private static JsonNode waitFor(List<String> ids, int opens) throws Exception {
        browser.send(Map.of("op", "wait", "ids", ids, "opens", opens));
        JsonNode e = browser.await(n -> n.path("ev").asText().matches("state|timeout"), Duration.ofSeconds(30));
        List<String> shown = new ArrayList<>();
        e.path("ids").forEach(id -> shown.add(id.asText()));
        assertThat(shown).as("message ids the page shows (%s)", e).isEqualTo(ids);
        assertThat(e.path("ev").asText()).as("page state %s", e).isEqualTo("state");
        return e;
    }

    private static void postOutsideThePage(String room, String what, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pushpin.url("/rooms/" + room + "/" + what)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }

    private static void screenshot(TestInfo info) throws Exception {
        Path file = SHOTS.resolve(info.getTestMethod().orElseThrow().getName() + ".png").toAbsolutePath();
        browser.send(Map.of("op", "screenshot", "path", file.toString()));
        browser.expect("shot");
        assertThat(Files.size(file)).isPositive();
        browser.send(Map.of("op", "close"));
        browser.expect("closed");
    }
}
