package org.pushpin.it.cluster;

import static org.pushpin.it.cluster.ClusterClients.WAIT;
import static org.pushpin.it.cluster.ClusterClients.hold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * Pushpin's own way to scale out: three instances (two in this JVM, one as a process of its own) whose ZeroMQ SUB
 * publish inputs all connect ({@code push_in_sub_connect}) to one libzmq XPUB publisher (Debian's python3-zmq,
 * {@code zmq_peer.py xpub}, verbose). Proves that each instance subscribes upstream to exactly the channels held
 * there (a channel held on all three is subscribed three times, one held on a single instance once), that one
 * message the XPUB sends on a channel reaches the held clients on all three instances, and that an instance whose
 * clients went away unsubscribes upstream.
 *
 * <p>libzmq's XPUB with {@code XPUB_VERBOSE} (not {@code XPUB_VERBOSER}) passes every subscribe but only the last
 * unsubscribe of a channel: an instance's own unsubscribe is seen directly for a channel held only there, and for a
 * channel held on all three as the single {@code unsub} once the last of them let go (it would never come if any
 * instance kept its subscription).
 *
 * <p>Runs against the reference too ({@code -Dpushpin.it.server=reference}, Pushpin 1.36): it behaves the same.
 */
@Timeout(60)
class ZmqFanInTest {
    private static final int XPUB_PORT = PushpinServerExtension.freeLocalPort();
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    /** The XPUB peer: it binds, the instances connect, so it starts first. */
    @RegisterExtension
    @Order(1)
    static final XpubPeer xpub = new XpubPeer();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension a = instance().build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension b = instance().build();

    @RegisterExtension
    @Order(4)
    static final PushpinServerExtension c = instance().inChildJvm().build();

    private static PushpinServerExtension.Builder instance() {
        // handlerTcpSpec writes the port less the port offset, which the instance adds back: it connects to XPUB_PORT
        return PushpinServerExtension.builder()
                .handlerTcpSpec("push_in_sub_specs", XPUB_PORT)
                .handler("push_in_sub_connect", "true")
                .routes("* test");
    }

    static final class XpubPeer implements BeforeAllCallback, AfterAllCallback {
        private ScriptProcess peer;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            // without python3-zmq this skips the class before any instance starts
            peer = ScriptProcess.pythonZmq("zmq_peer.py", "xpub", "tcp://127.0.0.1:" + XPUB_PORT);
            peer.expect("ready");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (peer != null) {
                peer.close();
            }
        }

        /** The next events, as many as given: exactly these ({@code "sub X"}, {@code "unsub X"}), in any order. */
        void expectExactly(String... events) throws InterruptedException {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < events.length; i++) {
                JsonNode e = peer.next(WAIT);
                got.add(e.path("ev").asText() + " " + e.path("channel").asText());
            }
            assertThat(got).containsExactlyInAnyOrder(events);
        }

        /** Sends [channel, item] as Pushpin's SUB input reads it: the first frame is the channel. */
        void send(String channel, String content) throws Exception {
            byte[] item = ("J{\"channel\":" + Publish.quote(channel) + ",\"formats\":{\"http-stream\":{\"content\":"
                    + Publish.quote(content) + "}}}").getBytes(StandardCharsets.UTF_8);
            peer.send(Map.of("op", "send", "parts",
                    List.of(hex(channel.getBytes(StandardCharsets.UTF_8)), hex(item))));
            peer.expect("sent");
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Unique, and none a prefix of another (ZeroMQ subscriptions are prefix filters). */
    private static String channel(String tag) {
        return "fanin-" + CHANNELS.incrementAndGet() + "-" + tag + "-" + System.nanoTime();
    }


    @Test
    void eachInstanceSubscribesToWhatItHoldsAndOneMessageReachesAllThree() throws Exception {
        String all = channel("all");
        String onlyA = channel("a");
        String onlyB = channel("b");
        String onlyC = channel("c");
        // one instance at a time, so each subscription seen is that instance's
        try (HeldStream sa = hold(a, all); HeldStream sa1 = hold(a, onlyA)) {
            xpub.expectExactly("sub " + all, "sub " + onlyA);
            try (HeldStream sb = hold(b, all); HeldStream sb1 = hold(b, onlyB)) {
                xpub.expectExactly("sub " + all, "sub " + onlyB);
                try (HeldStream sc = hold(c, all); HeldStream sc1 = hold(c, onlyC)) {
                    xpub.expectExactly("sub " + all, "sub " + onlyC);

                    xpub.send(all, "to all three\n");
                    for (HeldStream s : List.of(sa, sb, sc)) {
                        s.awaitText("to all three\n", WAIT);
                        assertThat(s.text()).isEqualTo("[stream opened]\nto all three\n");
                    }
                    xpub.send(onlyB, "to b\n");
                    sb1.awaitText("to b\n", WAIT);
                    assertThat(sb1.text()).isEqualTo("[stream opened]\nto b\n");
                    // nothing on the channels of the others
                    xpub.send(all, "end\n");
                    for (HeldStream s : List.of(sa, sb, sc)) {
                        s.awaitText("end\n", WAIT);
                        assertThat(s.text()).isEqualTo("[stream opened]\nto all three\nend\n");
                    }
                    assertThat(sa1.text()).isEqualTo("[stream opened]\n");
                    assertThat(sc1.text()).isEqualTo("[stream opened]\n");
                }
                xpub.expectExactly("unsub " + onlyC);
            }
            xpub.expectExactly("unsub " + onlyB);
        }
        // the last holder of `all` let go: only now does the XPUB see it unsubscribed
        xpub.expectExactly("unsub " + onlyA, "unsub " + all);
    }

    @Test
    void anInstanceWhoseClientsLeftUnsubscribesUpstream() throws Exception {
        String shared = channel("shared");
        String onlyA = channel("a");
        HeldStream sa = hold(a, shared);
        HeldStream sa1 = hold(a, onlyA);
        xpub.expectExactly("sub " + shared, "sub " + onlyA);
        try (HeldStream sb = hold(b, shared)) {
            xpub.expectExactly("sub " + shared);
            try (HeldStream sc = hold(c, shared)) {
                xpub.expectExactly("sub " + shared);

                // a's clients go: its unsubscribe of the channel held only there is seen at once
                sa.close();
                sa1.close();
                xpub.expectExactly("unsub " + onlyA);
                // b and c still get what is sent on the shared channel
                xpub.send(shared, "after a left\n");
                for (HeldStream s : List.of(sb, sc)) {
                    s.awaitText("after a left\n", WAIT);
                    assertThat(s.text()).isEqualTo("[stream opened]\nafter a left\n");
                }
                sb.close();
            }
        }
        // a and b let go before: c's unsubscribe is the last, so the XPUB reports the channel gone (it would not,
        // had a or b kept its subscription); nothing else came in between
        xpub.expectExactly("unsub " + shared);
    }
}
