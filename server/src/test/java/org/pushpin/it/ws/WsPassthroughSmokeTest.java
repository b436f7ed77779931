package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;

/** A text message through the proxy to an echo origin comes back, and a close closes cleanly. */
@Timeout(30)
class WsPassthroughSmokeTest {
    static WsEchoOrigin origin;

    @Test
    void aTextMessageIsEchoedThroughTheProxy() throws Exception {
        origin = new WsEchoOrigin();
        try (PushpinServerExtension pushpin = PushpinServerExtension.builder()
                .routes("* 127.0.0.1:" + origin.port() + ",no_grip").build()) {
            pushpin.beforeAll(null);
            CompletableFuture<String> got = new CompletableFuture<>();
            StringBuilder text = new StringBuilder(); // the JDK client may hand a message over in parts
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://localhost:" + pushpin.httpPort() + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                got.complete(text.toString());
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("hello", true);
            assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
            ws.sendClose(1000, "bye");
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
    }
}
