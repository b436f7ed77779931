package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * WebSocket resume (docs/history.md): a {@code subscribe} control message with {@code last-id} replays the
 * channel's later items from the history before live ones; without it, or with an id not held, only live ones come.
 */
@Timeout(60)
class WsResumeTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("* " + origin.target() + ",over_http")
            .handler("history_size", "100")
            .build();

    /** {@code sub:<channel>[:<last-id>]} subscribes the connection (with last-id when given), then says so. */
    static Reply gripOrigin(OriginRequest r) {
        List<WebSocketEvent> out = new ArrayList<>();
        for (WebSocketEvent e : WsOverHttpTest.eventsOf(r)) {
            String s = new String(e.contentOrEmpty(), StandardCharsets.UTF_8);
            switch (e.type()) {
                case "OPEN" -> out.add(WsOverHttpTest.OPEN);
                case "TEXT" -> {
                    String[] parts = s.substring(4).split(":");
                    String lastId = parts.length > 1 ? ", \"last-id\": \"" + parts[1] + "\"" : "";
                    out.add(WsOverHttpTest.text("c:{\"type\": \"subscribe\", \"channel\": \"" + parts[0] + "\""
                            + lastId + "}"));
                    out.add(WsOverHttpTest.text("m:subscribed"));
                }
                default -> { }
            }
        }
        Reply reply = WsOverHttpTest.events(out);
        return WsOverHttpTest.eventsOf(r).stream().anyMatch(e -> e.type().equals("OPEN"))
                ? reply.header("Sec-WebSocket-Extensions", "grip") : reply;
    }

    private static Publish.Item message(String channel, int n) {
        return Publish.item(channel).id(Integer.toString(n))
                .format("ws-message", "{\"content\": \"item " + n + "\"}");
    }

    /** The next {@code n} frames, the origin's "subscribed" left out (it may come before or among the replay). */
    private static List<String> items(WsOverHttpClient c, int n) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < n) {
            String f = c.next();
            if (!f.equals("text:subscribed")) {
                got.add(f);
            }
        }
        return got;
    }

    @Test
    void lastIdReplaysTheLaterItemsThenLiveOnes() throws Exception {
        String ch = "ws-resume-" + System.nanoTime();
        origin.on("/resume", WsResumeTest::gripOrigin);
        Publish pub = pushpin.publisher();
        pub.publish(message(ch, 1), message(ch, 2), message(ch, 3), message(ch, 4));
        long misses = pushpin.server().metrics().history().misses();

        try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/resume")) {
            c.text("sub:" + ch + ":2");
            assertThat(items(c, 2)).containsExactly("text:item 3", "text:item 4");
            pub.publish(message(ch, 5));
            assertThat(items(c, 1)).containsExactly("text:item 5");
        }
        assertThat(pushpin.server().metrics().history().misses()).isEqualTo(misses);
    }

    @Test
    void anUnknownLastIdReplaysNothingAndIsCounted() throws Exception {
        String ch = "ws-miss-" + System.nanoTime();
        origin.on("/miss", WsResumeTest::gripOrigin);
        Publish pub = pushpin.publisher();
        pub.publish(message(ch, 1));
        long misses = pushpin.server().metrics().history().misses();

        try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/miss")) {
            c.text("sub:" + ch + ":nope");
            assertThat(c.next()).isEqualTo("text:subscribed");
            org.pushpin.testing.Await.until(java.time.Duration.ofSeconds(5),
                    () -> pushpin.server().metrics().history().misses() == misses + 1, "the miss was counted");
            pub.publish(message(ch, 2));
            assertThat(items(c, 1)).containsExactly("text:item 2");
        }
    }
}
