package org.pushpin.it.cluster;

import static org.pushpin.it.cluster.ClusterClients.WAIT;
import static org.pushpin.it.cluster.ClusterClients.content;
import static org.pushpin.it.cluster.ClusterClients.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RedisServer;
import org.pushpin.testing.ScriptProcess;

/**
 * Three instances sharing one channel space through a real Redis ({@code [cluster] broker=redis}): two in this JVM,
 * one as a process of its own. Clients hold streams on every instance (the {@code test} target's
 * {@code /stream?channel=}); a publish to any instance reaches each of them once; an {@code id} is delivered once
 * whichever instance it was published to; Redis restarted under held streams: publishes are refused (503) while it
 * is down and delivered again once it is back; an instance killed leaves the others serving.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    static final int PULL = PushpinServerExtension.freeLocalPort();

    @RegisterExtension
    @org.junit.jupiter.api.Order(1)
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    @org.junit.jupiter.api.Order(2)
    static final PushpinServerExtension a = instance().handlerTcpSpec("push_in_spec", PULL).build();

    @RegisterExtension
    @org.junit.jupiter.api.Order(3)
    static final PushpinServerExtension b = instance().build();

    @RegisterExtension
    @org.junit.jupiter.api.Order(4)
    static final PushpinServerExtension c = instance().inChildJvm().build();

    private static PushpinServerExtension.Builder instance() {
        return PushpinServerExtension.builder()
                .controlApi()
                .set("cluster", "broker", "redis")
                .set("cluster", "redis_url", redis.url())
                .set("cluster", "redis_prefix", "it:")
                .handler("id_cache_ttl", "60")
                .routes("* test");
    }

    @BeforeEach
    void oursOnly() {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "the reference has no Redis broker");
    }

    private static String channel() {
        return "cluster-" + CHANNELS.incrementAndGet() + "-" + System.nanoTime();
    }



    @Test
    @Order(1)
    void aPublishToOneInstanceReachesEveryInstanceOnce() throws Exception {
        String ch = channel();
        try (HeldStream sa = hold(a, ch); HeldStream sb = hold(b, ch); HeldStream sc = hold(c, ch)) {
            a.publisher().publish(content(ch, "one\n"));
            c.publisher().publish(content(ch, "two\n"));
            b.publisher().publish(content(ch, "end\n"));
            for (HeldStream s : List.of(sa, sb, sc)) {
                s.awaitText("end\n", WAIT);
                assertThat(s.text()).isEqualTo("[stream opened]\none\ntwo\nend\n");
            }
        }
    }

    @Test
    @Order(2)
    void anIdIsDeliveredOnceWhicheverInstanceItWasPublishedTo() throws Exception {
        String ch = channel();
        try (HeldStream sa = hold(a, ch); HeldStream sc = hold(c, ch)) {
            a.publisher().publish(content(ch, "first\n").id("x1"));
            b.publisher().publish(content(ch, "again\n").id("x1"));
            c.publisher().publish(content(ch, "end\n"));
            for (HeldStream s : List.of(sa, sc)) {
                s.awaitText("end\n", WAIT);
                assertThat(s.text()).isEqualTo("[stream opened]\nfirst\nend\n");
            }
        }
    }

    @Test
    @Order(3)
    void aPublishOverZeroMqToOneInstanceReachesTheOthers() throws Exception {
        String ch = channel();
        try (HeldStream sb = hold(b, ch); HeldStream sc = hold(c, ch);
             ScriptProcess push = ScriptProcess.pythonZmq("zmq_peer.py", "push", "tcp://127.0.0.1:" + PULL)) {
            push.expect("ready");
            byte[] item = ("J{\"channel\": \"" + ch + "\", "
                    + "\"formats\": {\"http-stream\": {\"content\": \"zmq\\n\"}}}").getBytes(StandardCharsets.UTF_8);
            push.send(Map.of("op", "send", "parts", List.of(HexFormat.of().formatHex(item))));
            push.expect("sent");
            sb.awaitText("zmq\n", WAIT);
            sc.awaitText("zmq\n", WAIT);
        }
    }

    @Test
    @Order(3)
    void redisCarriesOneSubscriptionPerInstanceHoldingAChannelWhateverItsConnections() throws Exception {
        String ch = channel();
        try (HeldStream a1 = hold(a, ch); HeldStream a2 = hold(a, ch); HeldStream a3 = hold(a, ch);
             HeldStream b1 = hold(b, ch)) {
            assertThat(redis.numsub("it:" + ch)).as("subscribers at Redis: one per instance").isEqualTo(2);
            a.publisher().publish(content(ch, "x\n"));
            for (HeldStream s : List.of(a1, a2, a3, b1)) {
                s.awaitText("x\n", WAIT);
            }
        }
        // the last client of the channel gone: each instance unsubscribes upstream
        Await.until(WAIT, () -> redis.numsub("it:" + ch) == 0, () -> "still subscribed at Redis");
    }

    @Test
    @Order(4)
    void publishesAreRefusedWhileRedisIsDownAndDeliveredOnceItIsBack() throws Exception {
        String ch = channel();
        try (HeldStream sa = hold(a, ch); HeldStream sb = hold(b, ch)) {
            redis.stop();
            // refused, never answered 200 and lost: once the instance saw the connection go, every publish is a 503
            Await.until(WAIT, () -> a.publisher().send(content(ch, "lost?\n")).statusCode() == 503,
                    () -> "no 503 while Redis is down");
            HttpResponse<String> refused = b.publisher().send(content(ch, "lost?\n"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("Redis");
            // a client that comes while Redis is down is held once its subscription is in force, when Redis is back
            String later = channel();
            CompletableFuture<HeldStream> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return hold(b, later);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            redis.start();
            // delivery resumes: the instances reconnect and subscribe again to what they hold
            AtomicInteger n = new AtomicInteger();
            Await.until(WAIT, () -> {
                a.publisher().send(content(ch, "back-" + n.incrementAndGet() + "\n"));
                return sb.text().contains("back-");
            }, () -> "no delivery after Redis came back; b got " + sb.text());
            a.publisher().publish(content(ch, "end\n"));
            for (HeldStream s : List.of(sa, sb)) {
                s.awaitText("end\n", WAIT);
                assertThat(s.text()).doesNotContain("lost?");
            }
            try (HeldStream sl = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                a.publisher().publish(content(later, "for-later\n"));
                sl.awaitText("for-later\n", WAIT);
            }
        }
    }

    @Test
    @Order(5)
    void aStalledInstanceSlowsNoOtherAndCatchesUpWhenItResumes() throws Exception {
        String ch = channel();
        long pid = c.process().orElseThrow().pid();
        try (HeldStream sa = hold(a, ch); HeldStream sc = hold(c, ch)) {
            signal("STOP", pid); // the child JVM stops: it reads nothing from Redis or its clients
            try {
                for (int i = 0; i < 20; i++) {
                    assertThat(b.publisher().send(content(ch, "m" + i + "\n")).statusCode()).isEqualTo(200);
                }
                sa.awaitText("m19\n", WAIT); // the others are served at once
            } finally {
                signal("CONT", pid);
            }
            sc.awaitText("m19\n", WAIT); // Redis kept what it had for the stalled one
            assertThat(sc.text()).isEqualTo(sa.text());
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    @Order(6)
    void anInstanceKilledLeavesTheOthersServing() throws Exception {
        String ch = channel();
        try (HeldStream sa = hold(a, ch); HeldStream sb = hold(b, ch); HeldStream sc = hold(c, ch)) {
            c.close(); // the child JVM is killed
            assertThat(sc.awaitEnd(WAIT)).isTrue();
            b.publisher().publish(content(ch, "still\n"));
            for (HeldStream s : List.of(sa, sb)) {
                s.awaitText("still\n", WAIT);
                assertThat(s.text()).isEqualTo("[stream opened]\nstill\n");
            }
        }
    }
}
