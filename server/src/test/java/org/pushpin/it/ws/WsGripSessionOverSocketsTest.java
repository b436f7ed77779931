package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;

/**
 * The GRIP WebSocket extension end to end (docs/websocket.md §2): a WebSocket origin that accepts {@code grip}
 * drives the session with {@code c:} control messages, publishes of {@code ws-message} items over the HTTP control
 * API reach the client. Everything is observed at the client and the origin, over real sockets.
 */
@Timeout(60)
class WsGripSessionOverSocketsTest {
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    static final WsTestOrigin origin = start();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .handler("connection_subscription_max", "3")
            .routes("localhost,path_beg=/prefixed,prefix=pre_ 127.0.0.1:" + origin.port(),
                    "localhost,path_beg=/implicit 127.0.0.1:" + origin.port() + ",sub=implicit-ws",
                    "localhost 127.0.0.1:" + origin.port())
            .build();

    private static WsTestOrigin start() {
        try {
            return new WsTestOrigin();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        origin.reset();
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static String channel() {
        return "ws-" + CHANNELS.incrementAndGet() + "-" + System.nanoTime();
    }

    private static void control(WsPeer originSide, String json) {
        originSide.send(new TextWebSocketFrame("c:" + json));
    }

    private static Publish.Item text(String channel, String content) {
        return Publish.item(channel).format("ws-message", "{\"content\": " + Publish.quote(content) + "}");
    }

    /**
     * Publishes {@code sync-N} messages on {@code channel} until the client got one, then reads up to the last one
     * sent: the subscription is in force and nothing of the sync is left for the test to read.
     */
    private static void sync(String channel, WsPeer client) throws Exception {
        Publish pub = pushpin.publisher();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int sent = 0;
        while (true) {
            pub.publish(text(channel, "sync-" + sent));
            sent++;
            WsFrame f = client.poll(200);
            if (f != null) {
                assertThat(f.text()).startsWith("sync-");
                while (!f.text().equals("sync-" + (sent - 1))) {
                    f = client.next();
                }
                return;
            }
            assertThat(System.nanoTime()).as("subscribed within 15 s").isLessThan(deadline);
        }
    }

    /** A client connected through Pushpin, its origin side, and the origin told to subscribe it to {@code channel}. */
    private record Pair(WsTestClient client, WsPeer origin) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    private static Pair connect(String path) throws Exception {
        WsTestClient c = WsTestClient.connect(pushpin.httpPort(), path);
        return new Pair(c, origin.nextConnection());
    }

    private static Pair subscribed(String channel) throws Exception {
        Pair p = connect("/ws");
        control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        sync(channel, p.client().peer);
        return p;
    }

    @Test
    void aPublishedTextMessageReachesTheSubscribedClient() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            pushpin.publisher().publish(text(ch, "hello"));
            WsFrame f = p.client().peer.next();
            assertThat(f.type()).isEqualTo("text");
            assertThat(f.text()).isEqualTo("hello");
        }
    }

    @Test
    void contentBinIsABinaryMessage() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            byte[] data = {0, 1, 2, (byte) 0xff};
            pushpin.publisher().publish(Publish.item(ch).format("ws-message", "{\"content-bin\": "
                    + Publish.quote(Base64.getEncoder().encodeToString(data)) + "}"));
            WsFrame f = p.client().peer.next();
            assertThat(f.type()).isEqualTo("binary");
            assertThat(f.data()).containsExactly(data);
        }
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            byte[] data = new byte[70_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            pushpin.publisher().publish(Publish.item(ch).format("ws-message", "{\"content-bin\": "
                    + Publish.quote(Base64.getEncoder().encodeToString(data)) + "}"));
            // One message; the reference splits it into fragments, we send it as one frame: both are one message.
            WsFrame f = p.client().peer.next();
            assertThat(f.type()).isEqualTo("binary");
            java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
            message.write(f.data());
            while (!f.fin()) {
                f = p.client().peer.next();
                assertThat(f.type()).isEqualTo("continuation");
                message.write(f.data());
            }
            assertThat(message.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void aPublishedCloseClosesTheClientWithItsCodeAndReason() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            pushpin.publisher().publish(Publish.item(ch).format("ws-message",
                    "{\"action\": \"close\", \"code\": 4001, \"reason\": \"pubclose\"}"));
            WsFrame f = p.client().peer.next();
            assertThat(f.type()).isEqualTo("close");
            assertThat(f.code()).isEqualTo(4001);
            assertThat(f.reason()).isEqualTo("pubclose");
            p.client().peer.awaitClosed();
        }
    }

    @Test
    void theRoutePrefixIsPrependedToTheOriginsChannel() throws Exception {
        String ch = channel();
        try (Pair p = connect("/prefixed/ws")) {
            control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + ch + "\"}");
            sync("pre_" + ch, p.client().peer);
            pushpin.publisher().publish(text(ch, "unprefixed"), text("pre_" + ch, "prefixed"));
            assertThat(p.client().peer.next().text()).isEqualTo("prefixed");
        }
    }

    @Test
    void targetSubChannelsAreSubscribedWithoutControlMessages() throws Exception {
        origin.answering(WsTestOrigin.accept()); // no grip extension: the session exists for sub= alone
        try (Pair p = connect("/implicit/ws")) {
            sync("implicit-ws", p.client().peer);
            pushpin.publisher().publish(text("implicit-ws", "implicit"));
            assertThat(p.client().peer.next().text()).isEqualTo("implicit");
        }
    }

    @Test
    void implicitChannelsCannotBeUnsubscribed() throws Exception {
        String other = channel();
        try (Pair p = connect("/implicit/ws")) {
            sync("implicit-ws", p.client().peer);
            control(p.origin(), "{\"type\":\"unsubscribe\",\"channel\":\"implicit-ws\"}");
            control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + other + "\"}");
            sync(other, p.client().peer); // the unsubscribe, before it, was handled too
            pushpin.publisher().publish(text("implicit-ws", "still implicit"));
            assertThat(p.client().peer.next().text()).isEqualTo("still implicit");
        }
    }

    @Test
    void varSubstRendersTheSetMetaValuesPerConnection() throws Exception {
        String ch = channel();
        try (Pair alice = connect("/ws"); Pair bob = connect("/ws")) {
            for (Pair p : List.of(alice, bob)) {
                String name = p == alice ? "alice" : "bob";
                control(p.origin(), "{\"type\":\"set-meta\",\"name\":\"name\",\"value\":\"" + name + "\"}");
                control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + ch
                        + "\",\"filters\":[\"var-subst\"]}");
                sync(ch, p.client().peer);
            }
            // alice also got bob's sync messages: read both up to a last common one
            pushpin.publisher().publish(text(ch, "both"));
            for (Pair p : List.of(alice, bob)) {
                while (!p.client().peer.next().text().equals("both")) {
                    continue;
                }
            }
            pushpin.publisher().publish(text(ch, "hi %(name)s, 100%%"));
            assertThat(alice.client().peer.next().text()).isEqualTo("hi alice, 100%");
            assertThat(bob.client().peer.next().text()).isEqualTo("hi bob, 100%");
        }
    }

    @Test
    void aFilterErrorOrOtherContentFiltersDropTheMessageOnly() throws Exception {
        String ch = channel();
        try (Pair p = connect("/ws")) {
            control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + ch + "\",\"filters\":[\"var-subst\"]}");
            sync(ch, p.client().peer);
            pushpin.publisher().publish(text(ch, "hi %(nobody)s"),
                    Publish.item(ch).format("ws-message", "{\"content\": \"other filters\", "
                            + "\"content-filters\": [\"build-id\"]}"),
                    text(ch, "plain"));
            WsFrame f = p.client().peer.next();
            assertThat(f.toString()).isEqualTo("text[plain]");
        }
    }

    @Test
    void unsubscribeStopsDeliveries() throws Exception {
        String gone = channel();
        String kept = channel();
        try (Pair p = subscribed(gone)) {
            control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + kept + "\"}");
            sync(kept, p.client().peer);
            control(p.origin(), "{\"type\":\"unsubscribe\",\"channel\":\"" + gone + "\"}");
            // Pushpin handles the origin's messages in order: once a later control message took effect (a
            // keep-alive arrives), the unsubscribe did too.
            control(p.origin(), "{\"type\":\"send-delayed\",\"content\":\"marker\",\"timeout\":0}");
            assertThat(p.client().peer.next().text()).isEqualTo("marker");
            pushpin.publisher().publish(text(gone, "after unsubscribe"), text(kept, "still here"));
            assertThat(p.client().peer.next().text()).isEqualTo("still here");
        }
    }

    @Test
    void subscriptionsPastConnectionSubscriptionMaxAreIgnored() throws Exception {
        String a = channel();
        String b = channel();
        String c = channel();
        String d = channel();
        try (Pair p = subscribed(a)) {
            for (String ch : new String[] {b, c, d}) {
                control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + ch + "\"}");
            }
            control(p.origin(), "{\"type\":\"send-delayed\",\"content\":\"marker\",\"timeout\":0}");
            assertThat(p.client().peer.next().text()).isEqualTo("marker");
            sync(c, p.client().peer);
            pushpin.publisher().publish(text(d, "fourth"), text(c, "third"));
            assertThat(p.client().peer.next().text()).isEqualTo("third");
        }
    }

    @Test
    void setMetaUserMakesSkipSelfSkipTheSendersOwnMessages() throws Exception {
        String ch = channel();
        try (Pair p = connect("/ws")) {
            control(p.origin(), "{\"type\":\"set-meta\",\"name\":\"user\",\"value\":\"alice\"}");
            control(p.origin(), "{\"type\":\"subscribe\",\"channel\":\"" + ch + "\",\"filters\":[\"skip-self\"]}");
            sync(ch, p.client().peer);
            pushpin.publisher().publish(text(ch, "mine").meta("sender", "alice"),
                    text(ch, "theirs").meta("sender", "bob"));
            assertThat(p.client().peer.next().text()).isEqualTo("theirs");
        }
    }

    @Test
    void keepAliveSendsItsMessageEveryTimeoutInIntervalMode() throws Exception {
        try (Pair p = connect("/ws")) {
            control(p.origin(), "{\"type\":\"keep-alive\",\"content\":\"ka\",\"timeout\":1,\"mode\":\"interval\"}");
            for (int i = 0; i < 2; i++) {
                WsFrame f = p.client().peer.next();
                assertThat(f.type()).isEqualTo("text");
                assertThat(f.text()).isEqualTo("ka");
            }
        }
    }

    @Test
    void sendDelayedArrivesAfterItsTimeoutAndMessagesPassWithThePrefixStripped() throws Exception {
        try (Pair p = connect("/ws")) {
            long start = System.nanoTime();
            control(p.origin(), "{\"type\":\"send-delayed\",\"content\":\"later\",\"timeout\":1}");
            p.origin().send(new TextWebSocketFrame("m:now"));
            assertThat(p.client().peer.next().text()).isEqualTo("now");
            assertThat(p.client().peer.next().text()).isEqualTo("later");
            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    @Test
    void detachClosesTheOriginSideAndTheClientStillGetsPublishes() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            control(p.origin(), "{\"type\":\"detach\"}");
            WsFrame close = p.origin().next();
            assertThat(close.type()).isEqualTo("close");
            pushpin.publisher().publish(text(ch, "after detach"));
            assertThat(p.client().peer.next().text()).isEqualTo("after detach");
        }
    }

    @Test
    void prevIdOrdersWsMessagesAsForOtherFormats() throws Exception {
        String ch = channel();
        try (Pair p = subscribed(ch)) {
            Publish pub = pushpin.publisher();
            pub.publish(text(ch, "a").id("a"));
            assertThat(p.client().peer.next().text()).isEqualTo("a");
            pub.publish(text(ch, "c").id("c").prevId("b")); // waits for b
            pub.publish(text(ch, "b").id("b").prevId("a"));
            assertThat(p.client().peer.next().text()).isEqualTo("b");
            assertThat(p.client().peer.next().text()).isEqualTo("c");
        }
    }

    @Test
    void idleKeepAliveComesWhenNothingElseWasSent() throws Exception {
        try (Pair p = connect("/ws")) {
            control(p.origin(), "{\"type\":\"keep-alive\",\"content\":\"\",\"message-type\":\"ping\","
                    + "\"timeout\":1}");
            WsFrame f = p.client().peer.next();
            assertThat(f.type()).isEqualTo("ping");
            assertThat(f.data()).isEmpty();
        }
    }
}
