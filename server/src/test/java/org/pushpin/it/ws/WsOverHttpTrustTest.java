package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Jwt;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.TestOrigin;

/**
 * Over HTTP, the subprotocol the origin picks reaches the client's 101, and a trusted client (valid Grip-Sig signed
 * with {@code upstream_key}) speaks the GRIP extension itself: its 101 carries the origin's extension and the
 * origin's {@code c:} and unprefixed messages reach it untouched (docs/websocket.md §2, §3).
 */
@Timeout(60)
class WsOverHttpTrustTest {
    static final String UPSTREAM_KEY = "upstream-secret";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .proxy("upstream_key", UPSTREAM_KEY)
            .routes("* " + origin.target() + ",over_http")
            .build();

    static org.pushpin.testing.Reply gripEcho(OriginRequest r) {
        if (WsOverHttpTest.eventsOf(r).get(0).type().equals("OPEN")) {
            return WsOverHttpTest.events(WsOverHttpTest.OPEN).header("Sec-WebSocket-Extensions", "grip")
                    .header("Sec-WebSocket-Protocol", "chat");
        }
        return WsOverHttpTest.events(WsOverHttpTest.text("m:before"), WsOverHttpTest.text("c:{\"type\": \"detach\"}"),
                WsOverHttpTest.text("plain"), WsOverHttpTest.text("m:prefixed"));
    }

    private static HttpHeaders trusted() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set("Grip-Sig", Jwt.signHs256(Map.of("iss", "me", "exp", Instant.now().getEpochSecond() + 600),
                UPSTREAM_KEY));
        return h;
    }

    @Test
    void aTrustedClientGetsEveryMessageAsItIs() throws Exception {
        origin.on("/trusted", WsOverHttpTrustTest::gripEcho);
        try (WsTestClient raw = WsTestClient.connect(pushpin.httpPort(), "/trusted", trusted(), "chat", true)) {
            // it did not offer the extension: it gets none in its 101 (so does 1.36's)
            assertThat(raw.upgradeHeaders.contains("Sec-WebSocket-Extensions")).isFalse();
            assertThat(raw.upgradeHeaders.get("Sec-WebSocket-Protocol")).isEqualTo("chat");
            raw.peer.send(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("go"));
            assertThat(raw.peer.next().text()).isEqualTo("m:before");
            assertThat(raw.peer.next().text()).isEqualTo("c:{\"type\": \"detach\"}");
            assertThat(raw.peer.next().text()).isEqualTo("plain");
            assertThat(raw.peer.next().text()).isEqualTo("m:prefixed");
        }
        OriginRequest open = origin.awaitRequest("/trusted");
        assertThat(open.header("Sec-WebSocket-Protocol")).contains("chat");
        assertThat(open.hasHeader("Grip-Sig")).as("a trusted client's own Grip-Sig passes").isTrue();
    }

    @Test
    void aTrustedClientThatOffersTheExtensionGetsItIn101() throws Exception {
        origin.on("/offers", WsOverHttpTrustTest::gripEcho);
        HttpHeaders h = trusted().add("Sec-WebSocket-Extensions", "grip");
        try (WsTestClient raw = WsTestClient.connect(pushpin.httpPort(), "/offers", h, "chat", true)) {
            if (!PushpinServerExtension.againstReference()) {
                // deliberate: 1.36 drops every Sec-WebSocket-Extensions from the client's 101, which leaves a
                // trusted client unable to tell that the origin speaks GRIP
                assertThat(raw.upgradeHeaders.getAll("Sec-WebSocket-Extensions")).containsExactly("grip");
            }
            raw.peer.send(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("go"));
            assertThat(raw.peer.next().text()).isEqualTo("m:before");
        }
    }

    @Test
    void anUntrustedClientGetsNeitherTheExtensionNorTheControlMessage() throws Exception {
        origin.on("/untrusted", WsOverHttpTrustTest::gripEcho);
        try (WsTestClient raw = WsTestClient.connect(pushpin.httpPort(), "/untrusted", new DefaultHttpHeaders(),
                "chat", true)) {
            assertThat(raw.upgradeHeaders.contains("Sec-WebSocket-Extensions")).isFalse();
            assertThat(raw.upgradeHeaders.get("Sec-WebSocket-Protocol")).isEqualTo("chat");
            raw.peer.send(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("go"));
            assertThat(raw.peer.next().text()).isEqualTo("before");
            // the unprefixed "plain" is dropped; the rest of the answer goes out though the c: message detached
            assertThat(raw.peer.next().text()).isEqualTo("prefixed");
        }
    }
}
