package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;
import org.pushpin.testing.ScriptProcess;

/**
 * Stopping gracefully (docs/reliability.md): on a drain every held client is told to reconnect — a stream ends, a
 * long-poll gets its timeout answer, a GRIP WebSocket (the test target's) is closed with 1012 "service restart" —
 * new connections are refused, and the server is down once they left. SIGTERM to a server process does the same
 * and the process exits.
 */
@Timeout(60)
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final PushpinServerExtension drained = PushpinServerExtension.builder().routes("* test").build();

    @RegisterExtension
    static final PushpinServerExtension child = PushpinServerExtension.builder().routes("* test")
            .runner("shutdown_grace", "5").inChildJvm().build();

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference cuts held clients on SIGTERM");
    }

    @Test
    void aDrainTellsEveryHeldClientToReconnectThenStops() throws Exception {
        int port = drained.httpPort();
        try (HeldStream stream = HeldStream.open(port, Req.get("/stream?channel=drain-s"));
             ScriptProcess ws = ScriptProcess.python("ws_peer.py", "client", "ws://127.0.0.1:" + port + "/ws")) {
            stream.awaitText("[stream opened]\n", WAIT);
            ws.expect("open");
            CompletableFuture<HttpResponse<String>> poll = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/response?channel=drain-r"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            // the long-poll is held once the test target answered it: wait for its subscription
            org.pushpin.testing.Await.until(WAIT, () -> drained.server().hub().subscriberCount("drain-r") == 1,
                    "long-poll held");

            CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(
                    () -> drained.server().drain(Duration.ofSeconds(10)));

            assertThat(stream.awaitEnd(WAIT)).as("the stream ended").isTrue();
            assertThat(stream.endedCleanly()).as("with its last chunk").isTrue();
            HttpResponse<String> answer = poll.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("nothing for now\n");
            var close = ws.await(e -> e.path("ev").asText().equals("close"), WAIT);
            assertThat(close.path("code").asInt()).isEqualTo(1012);

            assertThat(stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("connections left at the end").isZero();
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("still accepting after the drain: " + s);
        } catch (ConnectException expected) {
            // refused: the listener is closed
        }
    }

    @Test
    void sigtermDrainsAServerProcessAndItExits() throws Exception {
        ProcessHandle process = child.process().orElseThrow();
        try (HeldStream stream = HeldStream.open(child.httpPort(), Req.get("/stream?channel=term"))) {
            stream.awaitText("[stream opened]\n", WAIT);
            assertThat(process.destroy()).isTrue(); // SIGTERM
            assertThat(stream.awaitEnd(WAIT)).isTrue();
            assertThat(stream.endedCleanly()).isTrue();
        }
        process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(process.isAlive()).isFalse();
    }
}
