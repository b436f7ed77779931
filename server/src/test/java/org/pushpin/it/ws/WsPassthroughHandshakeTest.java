package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Jwt;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;

/**
 * The passthrough handshake as the origin and the client see it: the headers Pushpin sends the origin, the origin's
 * 101 reaching the client, refusals relayed whole, and Pushpin's own 502s.
 */
@Timeout(60)
class WsPassthroughHandshakeTest {
    static final String SIG_KEY = "ws-sig-secret";
    static final String UPSTREAM_KEY = "ws-upstream-secret";
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static final WsTestOrigin origin = startOrigin();
    static final int closedPort = RawOrigin.closedPort();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .proxy("sig_key", SIG_KEY)
            .proxy("upstream_key", UPSTREAM_KEY)
            .routes("localhost,path_beg=/nogrip,no_grip 127.0.0.1:" + origin.port(),
                    "localhost,path_beg=/down 127.0.0.1:" + closedPort,
                    "localhost 127.0.0.1:" + origin.port())
            .build();

    static WsTestOrigin startOrigin() {
        try {
            return new WsTestOrigin();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        origin.reset();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    static Req upgrade(String path) {
        return Req.get(path).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Key", KEY).header("Sec-WebSocket-Version", "13");
    }

    @Test
    void theOriginGetsGripHeadersAndTheGripExtensionInsteadOfTheClients() throws Exception {
        origin.answering(new WsTestOrigin.Accept(new DefaultHttpHeaders(), "chat"));
        HttpHeaders h = new DefaultHttpHeaders().add("Sec-WebSocket-Extensions", "permessage-deflate")
                .add("X-Custom", "kept");
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/grip/x?a=1", h, "chat", true)) {
            HttpHeaders seen = origin.nextHandshake();
            assertThat(seen.getAll("Sec-WebSocket-Extensions")).containsExactly("grip");
            assertThat(seen.get("Sec-WebSocket-Protocol")).isEqualTo("chat");
            assertThat(seen.get("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(seen.get("Sec-WebSocket-Key")).isNotEmpty();
            assertThat(seen.get("X-Custom")).isEqualTo("kept");
            assertThat(seen.get("Upgrade")).isEqualToIgnoringCase("websocket");
            Jwt.Decoded sig = Jwt.decodeHs256(seen.get("Grip-Sig"), SIG_KEY);
            assertThat(sig.signatureValid()).isTrue();
            assertThat(seen.get("Grip-Feature")).isNotNull();
            assertThat(origin.nextUri()).isEqualTo("/grip/x?a=1");
        }
    }

    @Test
    void aNoGripRouteOffersNoExtensionAndNoSignature() throws Exception {
        origin.answering(WsTestOrigin.accept());
        HttpHeaders h = new DefaultHttpHeaders().add("Sec-WebSocket-Extensions", "permessage-deflate");
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/nogrip/", h, null, true)) {
            HttpHeaders seen = origin.nextHandshake();
            assertThat(seen.contains("Sec-WebSocket-Extensions")).isFalse();
            assertThat(seen.contains("Grip-Sig")).isFalse();
        }
    }

    @Test
    void theOriginsHeadersAndSubprotocolReachTheClientWithoutItsExtensions() throws Exception {
        HttpHeaders extra = new DefaultHttpHeaders().add("X-Origin", "yes").add("Set-Cookie", "a=b")
                .add("Sec-WebSocket-Extensions", "grip; message-prefix=\"\"");
        origin.answering(new WsTestOrigin.Accept(extra, "chat"));
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/sub", new DefaultHttpHeaders(),
                "chat", true)) {
            assertThat(c.upgradeHeaders.get("X-Origin")).isEqualTo("yes");
            assertThat(c.upgradeHeaders.get("Set-Cookie")).isEqualTo("a=b");
            assertThat(c.upgradeHeaders.get("Sec-WebSocket-Protocol")).isEqualTo("chat");
            assertThat(c.upgradeHeaders.contains("Sec-WebSocket-Extensions")).isFalse();
            origin.nextHandshake();
            WsPeer o = origin.nextConnection();
            o.send(new TextWebSocketFrame("hi"));
            assertThat(c.peer.next().text()).isEqualTo("hi");
        }
    }

    @Test
    void aTrustedClientSeesTheExtensionUntouchedAndTheMessagesAsSent() throws Exception {
        String token = Jwt.signHs256(Map.of("iss", "someone", "exp", Instant.now().getEpochSecond() + 600),
                UPSTREAM_KEY);
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        HttpHeaders h = new DefaultHttpHeaders().add("Grip-Sig", token).add("Sec-WebSocket-Extensions", "grip");
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/trusted", h, null, true)) {
            assertThat(origin.nextHandshake().get("Grip-Sig")).isEqualTo(token);
            WsPeer o = origin.nextConnection();
            o.send(new TextWebSocketFrame("c:{\"type\":\"subscribe\",\"channel\":\"x\"}"));
            o.send(new TextWebSocketFrame("m:hello"));
            o.send(new TextWebSocketFrame("plain"));
            assertThat(c.peer.next().text()).isEqualTo("c:{\"type\":\"subscribe\",\"channel\":\"x\"}");
            assertThat(c.peer.next().text()).isEqualTo("m:hello");
            assertThat(c.peer.next().text()).isEqualTo("plain");
            if (!PushpinServerExtension.againstReference()) {
                // 1.36 drops every Sec-WebSocket-Extensions from the client's 101 (a zurl artefact): a trusted
                // client, e.g. a Pushpin in front of this one, could not tell that the origin speaks GRIP
                assertThat(c.upgradeHeaders.get("Sec-WebSocket-Extensions")).isEqualTo("grip");
            }
        }
    }

    @Test
    void aTrustedClientThatDidNotOfferTheExtensionIsNotToldOfIt() throws Exception {
        String token = Jwt.signHs256(Map.of("iss", "someone", "exp", Instant.now().getEpochSecond() + 600),
                UPSTREAM_KEY);
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        HttpHeaders h = new DefaultHttpHeaders().add("Grip-Sig", token);
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/trusted", h, null, true)) {
            origin.nextHandshake();
            WsPeer o = origin.nextConnection();
            o.send(new TextWebSocketFrame("m:hello"));
            assertThat(c.peer.next().text()).isEqualTo("m:hello");
            // RFC 6455 9.1: a server names only extensions the client offered
            assertThat(c.upgradeHeaders.contains("Sec-WebSocket-Extensions")).isFalse();
        }
    }

    @Test
    void aRefusalReachesTheClientWithItsStatusHeadersAndBody() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 loses the reason phrase and headers (zurl)");
        origin.answering(new WsTestOrigin.Refuse(403, "Go Away", "not you\n",
                new DefaultHttpHeaders().add("X-Why", "policy").add("Content-Type", "text/plain")));
        RawResponse r = RawClient.exchange(pushpin.httpPort(), upgrade("/refused"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.reason()).isEqualTo("Go Away");
        assertThat(r.header("X-Why")).contains("policy");
        assertThat(r.header("Content-Type")).contains("text/plain");
        assertThat(r.bodyText()).isEqualTo("not you\n");
    }

    @Test
    void aRefusalsStatusAndBodyReachTheClient() throws Exception {
        origin.answering(new WsTestOrigin.Refuse(403, "Forbidden", "not you\n", new DefaultHttpHeaders()));
        RawResponse r = RawClient.exchange(pushpin.httpPort(), upgrade("/refused"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo("not you\n");
    }

    @Test
    void aClientThatLeavesDuringTheOriginsHandshakeClosesTheOriginConnection() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 keeps the origin connection (10 s+, seen)");
        origin.answering(new WsTestOrigin.Stall());
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(upgrade("/stall"));
            origin.nextHandshake();
        }
        origin.nextConnection().awaitClosed();
    }

    @Test
    void anUnreachableOriginIsA502() throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), upgrade("/down/"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertThat(r.hasHeader("Content-Type")).isFalse();
    }

    @Test
    void noRouteIsA502() throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), upgrade("/").header("Host", "nowhere.test"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("No route for host: nowhere.test\n");
    }

    @Test
    void anOriginWithAWrongAcceptKeyIsA502() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 does not check the key: the client gets a 101");
        origin.answering(new WsTestOrigin.WrongKey());
        RawResponse r = RawClient.exchange(pushpin.httpPort(), upgrade("/wrongkey"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.bodyText()).isEqualTo("Error while proxying to origin.\n");
        assertThatThrownBy(() -> WsTestClient.connect(pushpin.httpPort(), "/wrongkey")).isNotNull();
    }
}
