package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Publish;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;

/**
 * The {@code test} target's WebSocket (docs/websocket.md §4) over real sockets: {@code /ws} is accepted, echoes the
 * client's messages and close, and gets the {@code ws-message} items published to its {@code channel=} channels
 * (default {@code test}); any other path is refused with {@code 404 no such test resource}.
 */
@Timeout(30)
class TestTargetWsTest {
    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder().controlApi()
            .routes("*,path_beg=/t/ test", "*,path_beg=/u test", "*,path_beg=/q/,path_rem=2 test", "* test").build();

    private static Req upgrade(String path) {
        return Req.get(path).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13");
    }

    @Test
    void wsIsAcceptedWithThePlainUpgradeHeaders() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(upgrade("/ws").header("Sec-WebSocket-Protocol", "chat")
                    .header("Sec-WebSocket-Extensions", "permessage-deflate"));
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.headers().stream().map(h -> h.name().toLowerCase()).sorted().toList())
                    .containsExactly("connection", "sec-websocket-accept", "upgrade");
        }
    }

    @Test
    void textBinaryAndFragmentsAreEchoed() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/ws")) {
            c.peer.send(new TextWebSocketFrame("hello test"));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[hello test]");
            c.peer.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0, 1, (byte) 0xff})));
            WsFrame bin = c.peer.nextMessage();
            assertThat(bin.type()).isEqualTo("binary");
            assertThat(bin.data()).containsExactly(0, 1, 0xff);
            c.peer.send(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("in ", StandardCharsets.UTF_8)));
            c.peer.send(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("parts", StandardCharsets.UTF_8)));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[in parts]");
        }
    }

    @Test
    void theClientsCloseIsAnsweredWithItsCodeAndReason() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/ws")) {
            c.peer.answerClose(false);
            c.peer.send(new CloseWebSocketFrame(4000, "client bye"));
            assertThat(c.peer.next().toString()).isEqualTo("close[4000 client bye]");
            c.peer.awaitClosed();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/ws", "/u/ws", "/q/x/ws"})
    void theRoutesPathPrefixIsRemovedFirst(String path) throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), path)) {
            c.peer.send(new TextWebSocketFrame("via prefix"));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[via prefix]");
        }
    }

    /** The same path rule over HTTP (1.36: path_beg less its trailing slash is removed after the rewriting). */
    @ParameterizedTest
    @CsvSource({"/t/, 200", "/t/?a=1, 200", "/u/, 200", "/u, 404", "/uws, 404", "/q/x/, 200", "/q/, 404"})
    void theHttpTestHandlerRemovesThePrefixTheSameWay(String path, int status) throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), Req.get(path));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.bodyText()).isEqualTo(status == 200 ? "Hello from the Pushpin test handler!\n"
                : "no such test resource\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/other", "/ws/deeper", "/t/other", "/stream", "/uws", "/q/ws"})
    void otherPathsAreRefusedWith404(String path) throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(upgrade(path));
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.headers("Content-Type")).containsExactly("text/plain");
            assertThat(r.bodyText()).isEqualTo("no such test resource\n");
        }
    }

    /** Publishes sync items until the client got one: the subscription is made after the 101. */
    private static void awaitSubscribed(WsTestClient c, String channel) throws Exception {
        for (int i = 0; ; i++) {
            pushpin.publisher().publish(Publish.item(channel).format("ws-message",
                    "{\"content\": \"sync-" + i + "\"}"));
            WsFrame f = c.peer.poll(300);
            if (f != null) {
                assertThat(f.text()).startsWith("sync-");
                return;
            }
            assertThat(i).as("subscribed within 50 tries").isLessThan(50);
        }
    }

    @Test
    void publishedMessagesReachTheDefaultChannel() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/ws")) {
            awaitSubscribed(c, "test");
            pushpin.publisher().publish(Publish.item("test").format("ws-message", "{\"content\": \"pub\"}"));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[pub]");
            pushpin.publisher().publish(Publish.item("test").format("ws-message", "{\"content-bin\": \"AAE=\"}"));
            WsFrame bin = c.peer.nextMessage();
            assertThat(bin.type()).isEqualTo("binary");
            assertThat(bin.data()).containsExactly(0, 1);
            // the client still echoes while subscribed
            c.peer.send(new TextWebSocketFrame("still echoing"));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[still echoing]");
            c.peer.answerClose(false);
            pushpin.publisher().publish(Publish.item("test").format("ws-message",
                    "{\"action\": \"close\", \"code\": 4001, \"reason\": \"pubclose\"}"));
            assertThat(c.peer.next().toString()).isEqualTo("close[4001 pubclose]");
        }
    }

    @Test
    void channelParametersChooseTheChannels() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/ws?channel=tt-a&channel=tt-b")) {
            awaitSubscribed(c, "tt-b");
            pushpin.publisher().publish(Publish.item("test").format("ws-message", "{\"content\": \"not mine\"}"));
            pushpin.publisher().publish(Publish.item("tt-a").format("ws-message", "{\"content\": \"to a\"}"));
            assertThat(c.peer.nextMessage().toString()).isEqualTo("text[to a]");
        }
    }
}
