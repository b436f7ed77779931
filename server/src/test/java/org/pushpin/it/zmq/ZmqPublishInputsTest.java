package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.tnet.TnetString;

/**
 * The ZeroMQ publish inputs with libzmq peers (Debian's python3-zmq): PUSH to our PULL in the three encodings
 * (JSON {@code J}, tnetstring {@code T}, bare tnetstring), bad messages dropped without disturbing the next; an
 * XPUB publisher our SUB input connects to, which sees exactly the channels held here; and Debian's
 * {@code pushpin-publish --spec tcp://}. Deliveries are observed on the test target's WebSocket.
 */
@Timeout(90)
class ZmqPublishInputsTest {
    static final int PULL_PORT = PushpinServerExtension.freeLocalPort();
    static final int XPUB_PORT = PushpinServerExtension.freeLocalPort();
    static final AtomicInteger CHANNELS = new AtomicInteger();
    static ScriptProcess push;
    static ScriptProcess xpub;

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handlerTcpSpec("push_in_spec", PULL_PORT)
            .handlerTcpSpec("push_in_sub_specs", XPUB_PORT)
            .handler("push_in_sub_connect", "true")
            .routes("* test")
            .build();

    @BeforeAll
    static void peers() throws Exception {
        // Observed through the test target's WebSocket, which 1.36 answers differently (its /ws wants the GRIP
        // extension; the JDK client's handshake was refused): these run against ours only.
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "deliveries are observed on our test target's WebSocket");
        push = ScriptProcess.pythonZmq("zmq_peer.py", "push", "tcp://127.0.0.1:" + PULL_PORT);
        push.expect("ready");
        xpub = ScriptProcess.pythonZmq("zmq_peer.py", "xpub", "tcp://127.0.0.1:" + XPUB_PORT);
        xpub.expect("ready");
    }

    @AfterAll
    static void stop() {
        if (push != null) {
            push.close();
        }
        if (xpub != null) {
            xpub.close();
        }
    }

    private static String channel() {
        return "zc" + CHANNELS.incrementAndGet() + "x" + System.nanoTime();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] json(String channel, String content) {
        return ("J{\"channel\":\"" + channel + "\",\"formats\":{\"ws-message\":{\"content\":\"" + content + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tnet(String channel, String content) {
        return TnetString.encode(Map.of("channel", channel,
                "formats", Map.of("ws-message", Map.of("content", content))));
    }

    private static void push(byte[]... parts) throws Exception {
        push.send(Map.of("op", "send", "parts", java.util.Arrays.stream(parts).map(ZmqPublishInputsTest::hex).toList()));
        push.expect("sent");
    }

    /** Pushes {@code sync-N} until the socket got one (its subscription is in force), then drains to the last. */
    private static void sync(TestTargetSocket ws, String channel) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (int n = 0; ; n++) {
            push(json(channel, "sync-" + n));
            String m = ws.poll(200);
            if (m != null) {
                while (!m.equals("sync-" + n)) {
                    m = ws.next();
                }
                return;
            }
            assertThat(System.nanoTime()).as("subscribed within 15 s").isLessThan(deadline);
        }
    }

    @Test
    void pushedItemsInEveryEncodingAreDelivered() throws Exception {
        String ch = channel();
        try (TestTargetSocket ws = new TestTargetSocket(pushpin.httpPort(), ch)) {
            sync(ws, ch);
            push(json(ch, "json"));
            byte[] t = tnet(ch, "tnet");
            byte[] prefixed = new byte[t.length + 1];
            prefixed[0] = 'T';
            System.arraycopy(t, 0, prefixed, 1, t.length);
            push(prefixed);
            push(t);
            assertThat(List.of(ws.next(), ws.next(), ws.next())).containsExactly("json", "tnet", "tnet");
        }
    }

    @Test
    void badMessagesAreDroppedAndTheNextIsDelivered() throws Exception {
        String ch = channel();
        try (TestTargetSocket ws = new TestTargetSocket(pushpin.httpPort(), ch)) {
            sync(ws, ch);
            long before = pushpin.server() != null ? dropped() : 0;
            push("Jnot json".getBytes(StandardCharsets.UTF_8));                  // bad JSON
            push("T5:abc,".getBytes(StandardCharsets.UTF_8));                    // truncated tnetstring
            push("garbage".getBytes(StandardCharsets.UTF_8));                    // neither
            push(TnetString.encode(Map.of("channel", ch)));                      // no formats
            push(json(ch, "a"), json(ch, "b"));                                  // two parts on PULL
            push("J[1,2]".getBytes(StandardCharsets.UTF_8));                     // not an object
            push(new byte[0]);                                                   // empty
            push(json(ch, "after"));
            assertThat(ws.next()).isEqualTo("after");
            if (pushpin.server() != null) {
                assertThat(dropped() - before).isEqualTo(7);
            }
        }
    }

    private static long dropped() {
        return pushpin.server().metrics().dropped(org.pushpin.metrics.ServerMetrics.Drop.MALFORMED_INPUT);
    }

    @Test
    void theSubInputSubscribesUpstreamToHeldChannelsOnlyAndDeliversTheirItems() throws Exception {
        String ch = channel();
        try (TestTargetSocket ws = new TestTargetSocket(pushpin.httpPort(), ch)) {
            JsonNode sub = xpub.await(e -> e.path("ev").asText().equals("sub")
                    && e.path("channel").asText().equals(ch), Duration.ofSeconds(10));
            assertThat(sub).isNotNull();
            // the first frame's channel wins over the item's own
            xpub.send(Map.of("op", "send", "parts", List.of(hex(ch.getBytes(StandardCharsets.UTF_8)),
                    hex(json("elsewhere", "via sub")))));
            assertThat(ws.next()).isEqualTo("via sub");
            xpub.send(Map.of("op", "send", "parts", List.of(hex(ch.getBytes(StandardCharsets.UTF_8)),
                    hex(tnet(ch, "tnet via sub")))));
            assertThat(ws.next()).isEqualTo("tnet via sub");
        }
        JsonNode unsub = xpub.await(e -> e.path("ev").asText().equals("unsub")
                && e.path("channel").asText().equals(ch), Duration.ofSeconds(10));
        assertThat(unsub).isNotNull();
    }

    @Test
    void debiansPushpinPublishReachesThePullInput() throws Exception {
        String ch = channel();
        try (TestTargetSocket ws = new TestTargetSocket(pushpin.httpPort(), ch)) {
            sync(ws, ch);
            Process p = new ProcessBuilder("/usr/bin/pushpin-publish", "--spec", "tcp://127.0.0.1:" + PULL_PORT, ch,
                    "from pushpin-publish").redirectErrorStream(true).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(ws.next()).isEqualTo("from pushpin-publish");
        }
    }
}
