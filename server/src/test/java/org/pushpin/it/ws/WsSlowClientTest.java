package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.testing.Await;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.TestOrigin;

/**
 * A WebSocket client that stops reading while publishes keep coming is dropped once 1 MiB waits for it (counted
 * as a slow client), instead of our memory growing; a client on the same channel that reads gets everything.
 * Ours only: the limit and the counter are ours.
 */
@Timeout(90)
class WsSlowClientTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("*,path_beg=/over/ " + origin.target() + ",over_http", "* test")
            .build();

    /** The test target's session, subscribed by its channel= parameter. */
    @Test
    void aClientThatDoesNotReadIsDroppedAndCountedAndTheOthersGetEverything() throws Exception {
        slowAndReadingClients("/ws");
    }

    /** The same through a WebSocket-over-HTTP origin that subscribes each connection in its answer to OPEN. */
    @Test
    void overHttpTooAClientThatDoesNotReadIsDroppedAndCounted() throws Exception {
        origin.on("/over/ws", r -> {
            String ch = r.uri().substring(r.uri().indexOf("channel=") + 8);
            return WsOverHttpTest.eventsOf(r).get(0).type().equals("OPEN")
                    ? WsOverHttpTest.events(WsOverHttpTest.OPEN,
                            WsOverHttpTest.text("c:{\"type\":\"subscribe\",\"channel\":\"" + ch + "\"}"))
                            .header("Sec-WebSocket-Extensions", "grip")
                    : WsOverHttpTest.events();
        });
        slowAndReadingClients("/over/ws");
    }

    private void slowAndReadingClients(String path) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "our limit");
        String ch = "slow-" + System.nanoTime();
        try (Socket slow = new Socket(); WsTestClient reader = WsTestClient.connect(pushpin.httpPort(),
                path + "?channel=" + ch)) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", pushpin.httpPort()));
            OutputStream out = slow.getOutputStream();
            out.write(("GET " + path + "?channel=" + ch + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = slow.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
            // from here the slow client reads nothing more

            // both subscribed: publish until the reader sees one
            Publish pub = pushpin.publisher();
            for (int n = 0; ; n++) {
                pub.publish(Publish.item(ch).format("ws-message", "{\"content\": \"sync-" + n + "\"}"));
                WsFrame f = reader.peer.poll(200);
                if (f != null) {
                    break;
                }
                assertThat(n).as("subscribed within 100 publishes").isLessThan(100);
            }
            long before = pushpin.server().metrics().dropped(ServerMetrics.Drop.SLOW_CLIENT);
            String big = "x".repeat(50_000);
            int messages = 200; // 10 MB: more than the socket buffers and the 1 MiB limit
            int slowDrops = 0;
            for (int i = 0; i < messages; i++) {
                // with delivery feedback (docs/delivery-feedback.md): the answer says when the slow one was cut
                String item = Publish.item(ch).format("ws-message", "{\"content\": \"" + i + big + "\"}").json();
                JsonNode fb = new ObjectMapper().readTree(pub.post("/publish?feedback=1", "{\"items\": [" + item
                        + "]}").body()).get("items").get(0);
                int dropped = fb.get("dropped").path("slow_client").asInt();
                assertThat(fb.get("delivered").asInt() + dropped).as("the reader, and the slow one until cut")
                        .isEqualTo(slowDrops == 0 ? 2 : 1);
                slowDrops += dropped;
            }
            assertThat(slowDrops).as("feedback said the slow client was cut, once").isEqualTo(1);
            Await.until(Duration.ofSeconds(30),
                    () -> pushpin.server().metrics().dropped(ServerMetrics.Drop.SLOW_CLIENT) > before,
                    () -> "the slow client was not dropped");
            int got = 0;
            while (got < messages) {
                WsFrame f = reader.peer.nextMessage();
                if (f.text().startsWith("sync-")) {
                    continue;
                }
                assertThat(f.text()).startsWith(Integer.toString(got));
                got++;
            }
        }
    }
}
