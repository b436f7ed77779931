package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.zmq.ZmqPublishInputsTest.hex;
import static org.pushpin.it.zmq.ZmqPublishInputsTest.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * {@code [handler] wildcard_channels=true} with the ZeroMQ SUB input (docs/wildcard-channels.md): a held
 * {@code <room>.*} subscribes upstream to the prefix {@code <room>.}, so a libzmq XPUB publisher sees that interest,
 * and what it sends on the room's channels reaches the wildcard's holder, once even when an exact channel of the
 * room is held too.
 */
@Timeout(90)
class WildcardZmqSubTest {
    static final int XPUB_PORT = PushpinServerExtension.freeLocalPort();
    static ScriptProcess xpub;

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handler("wildcard_channels", "true")
            .handlerTcpSpec("push_in_sub_specs", XPUB_PORT)
            .handler("push_in_sub_connect", "true")
            .routes("* test")
            .build();

    @BeforeAll
    static void peers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "wildcard channels are ours");
        xpub = ScriptProcess.pythonZmq("zmq_peer.py", "xpub", "tcp://127.0.0.1:" + XPUB_PORT);
        xpub.expect("ready");
    }

    @AfterAll
    static void stop() {
        if (xpub != null) {
            xpub.close();
        }
    }

    private static void send(String channel, String content) throws Exception {
        xpub.send(Map.of("op", "send", "parts", List.of(hex(channel.getBytes(StandardCharsets.UTF_8)),
                hex(json(channel, content)))));
    }

    /** Waits for upstream subscriptions to each of {@code filters}, in whatever order they come. */
    private static void awaitSubs(String... filters) throws Exception {
        Set<String> left = new HashSet<>(List.of(filters));
        while (!left.isEmpty()) {
            JsonNode sub = xpub.await(e -> e.path("ev").asText().equals("sub")
                    && left.contains(e.path("channel").asText()), Duration.ofSeconds(10));
            assertThat(sub).as("upstream subscription to one of " + left).isNotNull();
            left.remove(sub.path("channel").asText());
        }
    }

    @Test
    void aWildcardSubscribesUpstreamToItsPrefixAndGetsTheRoomsChannelsOnce() throws Exception {
        String room = "wz" + System.nanoTime() + ".";
        try (TestTargetSocket pattern = new TestTargetSocket(pushpin.httpPort(), room + "*");
             TestTargetSocket exact = new TestTargetSocket(pushpin.httpPort(), room + "a")) {
            awaitSubs(room, room + "a");
            send(room + "a", "one");
            send("x" + room + "a", "not ours");
            send(room + "b", "two");
            assertThat(pattern.next()).isEqualTo("one");
            assertThat(pattern.next()).isEqualTo("two");
            assertThat(exact.next()).isEqualTo("one");
        }
        JsonNode unsub = xpub.await(e -> e.path("ev").asText().equals("unsub")
                && e.path("channel").asText().equals(room), Duration.ofSeconds(10));
        assertThat(unsub).isNotNull();
    }
}
