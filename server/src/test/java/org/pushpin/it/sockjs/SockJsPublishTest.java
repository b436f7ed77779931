package org.pushpin.it.sockjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * Published {@code ws-message} items reach SockJS clients as any WebSocket client gets them: a session is one
 * WebSocket to the origin, here the {@code test} target (asked for {@code /ws} through {@code sockjs_as_path}),
 * which subscribes it to the {@code channel} of its query. A publish shared as one encoded frame by every
 * subscriber is re-framed for SockJS per session.
 */
@Timeout(60)
class SockJsPublishTest {
    private static PushpinServerExtension pushpin;

    @BeforeAll
    static void start() throws Exception {
        // one open request at most: a held poll must not count (it is handed over, as 1.36 hands SockJS requests)
        pushpin = PushpinServerExtension.builder().controlApi().proxy("max_open_requests", "1")
                .routes("*,path_beg=/refused,sockjs=/refused test", "*,sockjs=/tsock,sockjs_as_path=/ws test").start();
    }

    @AfterAll
    static void stop() {
        if (pushpin != null) {
            pushpin.close();
        }
    }

    /** Publishes sync items until the client got one (the subscription may be made just after the open). */
    private static void awaitSubscribed(ScriptProcess c, String channel) throws Exception {
        for (int i = 0; i < 50; i++) {
            pushpin.publisher().publish(Publish.item(channel).format("ws-message", "{\"content\": \"sync\"}"));
            try {
                JsonNode e = c.next(Duration.ofMillis(300));
                assertThat(e.path("data").asText()).isEqualTo("sync");
                return;
            } catch (AssertionError notYet) {
                // no event within the wait: publish again
            }
        }
        throw new AssertionError("not subscribed after 50 publishes");
    }

    @org.junit.jupiter.api.Test
    void aHeldPollIsNotAnOpenRequest() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest open = HttpRequest.newBuilder(URI.create(pushpin.url("/tsock/0/held/xhr")))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(open, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("o\n");
        var held = http.sendAsync(open, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(pushpin.url("/tsock/info")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(pushpin.url("/tsock/0/held/xhr_send")))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("[\"echo\"]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.body()).isEqualTo("ok");
        assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("a[\"echo\"]\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xhr", "xhr_streaming"})
    void anOriginThatRefusesTheHandshakeRefusesTheSessionsFirstRequest(String transport) throws Exception {
        // the test target answers WebSockets on /ws only: /refused gets its 404
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(pushpin.url("/refused/0/r-" + transport + "/" + transport)))
                .header("Origin", "http://app.example").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("no such test resource\n");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "xhr-streaming", "xhr-polling"})
    void publishedMessagesAndClosesReachSockJsClients(String transport) throws Exception {
        String channel = "room-" + transport;
        try (ScriptProcess c = ScriptProcess.node("sockjs-client.mjs", List.of("sockjs-client"),
                pushpin.url("/tsock?channel=" + channel), transport)) {
            c.expect("open");
            c.send(Map.of("op", "send", "data", "echo me"));
            assertThat(c.expect("message").get("data").asText()).isEqualTo("echo me");
            awaitSubscribed(c, channel);
            pushpin.publisher().publish(Publish.item(channel).format("ws-message", "{\"content\": \"pub \\\"1\\\"\"}"));
            assertThat(c.expect("message").get("data").asText()).isEqualTo("pub \"1\"");
            pushpin.publisher().publish(Publish.item(channel).format("ws-message", "{\"content-bin\": \"aGk=\"}"));
            assertThat(c.expect("message").get("data").asText()).as("binary as its UTF-8 text").isEqualTo("hi");
            pushpin.publisher().publish(Publish.item(channel).format("ws-message",
                    "{\"action\": \"close\", \"code\": 4001, \"reason\": \"pubclose\"}"));
            JsonNode close = c.expect("close");
            assertThat(close.get("code").asInt()).isEqualTo(4001);
            assertThat(close.get("reason").asText()).isEqualTo("pubclose");
        }
    }
}
