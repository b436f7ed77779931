package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.grip.WebSocketEvent;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.TestOrigin;

/**
 * The GRIP session of an over-HTTP connection (docs/websocket.md §2 and §3): the origin's {@code c:} messages in TEXT
 * events drive it, publishes of {@code ws-message} items reach the client, a published close and {@code detach}
 * close the origin side with a CLOSE event.
 */
@Timeout(60)
class WsOverHttpSessionTest {
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("*,path_beg=/implicit/ " + origin.target() + ",over_http,sub=implicit-woh",
                    "* " + origin.target() + ",over_http")
            .build();

    private static String channel() {
        return "woh-" + CHANNELS.incrementAndGet() + "-" + System.nanoTime();
    }

    /**
     * An origin that accepts the GRIP extension; {@code sub:<channel>} subscribes the connection (and answers
     * {@code m:subscribed}), {@code detach} detaches it, anything else is echoed with the message prefix.
     */
    static Reply gripOrigin(OriginRequest r) {
        List<WebSocketEvent> out = new ArrayList<>();
        for (WebSocketEvent e : WsOverHttpTest.eventsOf(r)) {
            String s = new String(e.contentOrEmpty(), StandardCharsets.UTF_8);
            switch (e.type()) {
                case "OPEN" -> out.add(WsOverHttpTest.OPEN);
                case "TEXT" -> {
                    if (s.startsWith("sub:")) {
                        out.add(WsOverHttpTest.text("c:{\"type\": \"subscribe\", \"channel\": \"" + s.substring(4)
                                + "\"}"));
                        out.add(WsOverHttpTest.text("m:subscribed"));
                    } else if (s.equals("detach")) {
                        out.add(WsOverHttpTest.text("c:{\"type\": \"detach\"}"));
                    } else {
                        out.add(WsOverHttpTest.text("m:echo:" + s));
                    }
                }
                default -> { }
            }
        }
        Reply reply = WsOverHttpTest.events(out);
        return WsOverHttpTest.eventsOf(r).stream().anyMatch(e -> e.type().equals("OPEN"))
                ? reply.header("Sec-WebSocket-Extensions", "grip") : reply;
    }

    private static Publish.Item text(String channel, String content) {
        return Publish.item(channel).format("ws-message", "{\"content\": " + Publish.quote(content) + "}");
    }

    /** Publishes {@code sync-N} until the client got one, then reads up to the last one sent. */
    private static void sync(String channel, WsOverHttpClient client) throws Exception {
        Publish pub = pushpin.publisher();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int sent = 0;
        while (true) {
            pub.publish(text(channel, "sync-" + sent));
            sent++;
            WsFrame f = client.client.peer.poll(200);
            if (f != null) {
                assertThat(f.text()).startsWith("sync-");
                while (!f.text().equals("sync-" + (sent - 1))) {
                    f = client.client.peer.next();
                }
                return;
            }
            assertThat(System.nanoTime()).as("subscribed within 15 s").isLessThan(deadline);
        }
    }

    private static WsOverHttpClient subscribed(String path, String channel) throws Exception {
        origin.on(path, WsOverHttpSessionTest::gripOrigin);
        WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), path);
        c.text("sub:" + channel);
        assertThat(c.next()).isEqualTo("text:subscribed");
        sync(channel, c);
        return c;
    }

    @Test
    void aSubscribeInATextEventMakesPublishesReachTheClient() throws Exception {
        String ch = channel();
        try (WsOverHttpClient c = subscribed("/sub", ch)) {
            pushpin.publisher().publish(text(ch, "hello"));
            assertThat(c.next()).isEqualTo("text:hello");
            // the origin's own messages still come through the events
            c.text("x");
            assertThat(c.next()).isEqualTo("text:echo:x");
        }
    }

    @Test
    void aPublishedCloseClosesTheClientAndTheOriginSide() throws Exception {
        String ch = channel();
        try (WsOverHttpClient c = subscribed("/pubclose", ch)) {
            pushpin.publisher().publish(Publish.item(ch).format("ws-message",
                    "{\"action\": \"close\", \"code\": 4001, \"reason\": \"pubclose\"}"));
            assertThat(c.awaitEnd()).isEqualTo("close:4001:pubclose");
        }
        // Pushpin closes the origin side without a code
        WsOverHttpTest.awaitPosted(origin, "/pubclose", "CLOSE");
    }

    /** Publish action {@code refresh} (Pushpin 1.38+; 1.36 refuses the item): the origin gets a request now. */
    @Test
    void aPublishedRefreshMakesTheConnectionPostARequestNow() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "1.36 refuses action refresh (it arrived in 1.38)");
        String ch = channel();
        try (WsOverHttpClient c = subscribed("/refresh", ch)) {
            int before = origin.requestsTo("/refresh").size();
            pushpin.publisher().publish(Publish.item(ch).format("ws-message", "{\"action\": \"refresh\"}"));
            org.pushpin.testing.Await.until(java.time.Duration.ofSeconds(10),
                    () -> origin.requestsTo("/refresh").size() > before,
                    () -> "no request after the refresh; got " + WsOverHttpTest.posted(origin, "/refresh"));
            // a request with no events: the client sent nothing
            assertThat(origin.requestsTo("/refresh").get(before).bodyText()).isEmpty();
            c.text("still");
            assertThat(c.next()).isEqualTo("text:echo:still");
        }
    }

    @Test
    void detachClosesTheOriginSideAndTheClientStaysForPublishes() throws Exception {
        String ch = channel();
        try (WsOverHttpClient c = subscribed("/detach", ch)) {
            c.text("detach");
            WsOverHttpTest.awaitPosted(origin, "/detach", "CLOSE");
            int posts = origin.requestsTo("/detach").size();
            c.text("after detach");
            pushpin.publisher().publish(text(ch, "still published"));
            assertThat(c.next()).isEqualTo("text:still published");
            // the client's message after the detach went nowhere
            assertThat(origin.requestsTo("/detach")).hasSize(posts);
        }
    }

    @Test
    void aTargetsSubChannelsNeedNoExtension() throws Exception {
        origin.on("/implicit/x", WsOverHttpTest::echo);
        try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/implicit/x")) {
            sync("implicit-woh", c);
            pushpin.publisher().publish(text("implicit-woh", "implicit"));
            assertThat(c.next()).isEqualTo("text:implicit");
        }
    }
}
