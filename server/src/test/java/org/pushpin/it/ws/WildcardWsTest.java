package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.ws.WsOverHttpTest.OPEN;
import static org.pushpin.it.ws.WsOverHttpTest.events;
import static org.pushpin.it.ws.WsOverHttpTest.eventsOf;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.TestOrigin;

/**
 * {@code [handler] wildcard_channels=true} (docs/wildcard-channels.md) on GRIP WebSocket sessions, over real
 * sockets: a {@code subscribe} control message to {@code <room>.*}, sent by a WebSocket origin (passthrough) or in
 * a WebSocket-over-HTTP answer, gets the {@code ws-message} items of the room's channels and no other.
 */
@Timeout(60)
class WildcardWsTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    static final WsTestOrigin wsOrigin = WsPassthroughHandshakeTest.startOrigin();

    @RegisterExtension
    @Order(1)
    static final TestOrigin httpOrigin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handler("wildcard_channels", "true")
            .controlApi()
            .routes("*,path_beg=/over/ " + httpOrigin.target() + ",over_http", "* 127.0.0.1:" + wsOrigin.port())
            .build();

    @BeforeEach
    void reset() {
        assumeFalse(PushpinServerExtension.againstReference(), "wildcard channels are ours");
        wsOrigin.reset();
    }

    @AfterAll
    static void stop() {
        wsOrigin.close();
    }

    private static String room() {
        return "wsroom-" + ROOMS.incrementAndGet() + ".";
    }

    private static Publish.Item ws(String channel, String text) {
        return Publish.item(channel).format("ws-message", "{\"content\": " + Publish.quote(text) + "}");
    }

    @Test
    void aPassthroughSessionSubscribedToAPatternGetsItsChannels() throws Exception {
        String room = room();
        wsOrigin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        Publish pub = pushpin.publisher();
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/grip")) {
            WsPeer o = wsOrigin.nextConnection();
            o.send(new TextWebSocketFrame("c:{\"type\":\"subscribe\",\"channel\":\"" + room + "*\"}"));
            o.send(new TextWebSocketFrame("m:ready"));
            // control messages are acted on in order: once "ready" is out, the subscription is in force
            assertThat(c.peer.next().text()).isEqualTo("ready");
            pub.publish(ws(room + "a", "to a"));
            pub.publish(ws("other-" + room + "a", "not mine"));
            pub.publish(ws(room + "b", "to b"));
            assertThat(c.peer.next().text()).isEqualTo("to a");
            assertThat(c.peer.next().text()).isEqualTo("to b");
        }
    }

    @Test
    void anOverHttpSessionSubscribedToAPatternGetsItsChannels() throws Exception {
        String room = room();
        httpOrigin.on("/over/chat", r -> {
            if (eventsOf(r).get(0).type().equals("OPEN")) {
                return events(OPEN).header("Sec-WebSocket-Extensions", "grip");
            }
            return events(WsOverHttpTest.text("c:{\"type\": \"subscribe\", \"channel\": \"" + room + "*\"}"),
                    WsOverHttpTest.text("m:ready"));
        });
        Publish pub = pushpin.publisher();
        try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/over/chat")) {
            c.text("go");
            assertThat(c.next()).isEqualTo("text:ready");
            pub.publish(ws("x" + room + "a", "not mine"));
            pub.publish(ws(room + "a", "to a"));
            assertThat(c.next()).isEqualTo("text:to a");
        }
    }
}
