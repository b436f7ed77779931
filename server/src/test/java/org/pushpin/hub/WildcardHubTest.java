package org.pushpin.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pushpin.broker.EmbeddedBroker;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.testing.Await;

/** Wildcard subscriptions in the hub ({@code wildcard_channels}, docs/wildcard-channels.md). */
class WildcardHubTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static MultiThreadIoEventLoopGroup group;
    private static EventLoop loopA;
    private static EventLoop loopB;
    private Hub hub;
    private final HubTest.CountingKind kind = new HubTest.CountingKind();

    /** Records "channel subscribed:item id" per delivery. */
    static final class Got implements Subscriber {
        final List<String> got = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(String channel, Published published) {
            got.add(channel + ":" + published.item().id());
        }
    }

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        loopA = group.next();
        loopB = group.next();
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private Hub hub(boolean wildcards) {
        HandlerConfig c = HubTest.config(-1, -1, 5000, 60, 0).withWildcardChannels(wildcards);
        hub = new Hub(c, List.of(kind), new EmbeddedBroker(), new ServerMetrics());
        return hub;
    }

    private Got subscribe(EventLoop loop, String... channels) {
        Got g = new Got();
        return subscribe(g, loop, channels);
    }

    private Got subscribe(Got g, EventLoop loop, String... channels) {
        loop.submit(() -> {
            for (String c : channels) {
                hub.subscribe(loop, c, g);
            }
        }).syncUninterruptibly();
        return g;
    }

    private void publish(String channel, String id) {
        hub.publish(List.of(item(channel, id)));
    }

    private static PublishItem item(String channel, String id) {
        return HubTest.stream(channel, id, null, true);
    }

    private static void awaitGot(Got g, String entry) {
        Await.until(WAIT, () -> g.got.contains(entry), () -> "never got " + entry + ", got " + g.got);
    }

    @Test
    void aPatternGetsEveryChannelWithItsPrefixAndNothingElse() {
        hub(true);
        Got chat = subscribe(loopA, "chat.*");
        publish("chat.a", "1");
        publish("news.x", "2");
        publish("chat", "3");
        publish("chat.b", "4");
        awaitGot(chat, "chat.*:4");
        // one hub thread, one loop: deliveries arrive in publish order, so 2 and 3 would be in by now
        assertThat(chat.got).containsExactly("chat.*:1", "chat.*:4");
        assertThat(hub.subscriberCount("chat.*")).as("counted under its pattern").isEqualTo(1);
        assertThat(hub.subscriberCount("chat.a")).isZero();
    }

    @Test
    void aStarAloneGetsEveryChannel() {
        hub(true);
        Got all = subscribe(loopB, "*");
        publish("x", "1");
        publish("chat.a", "2");
        awaitGot(all, "*:2");
        assertThat(all.got).containsExactly("*:1", "*:2");
    }

    @Test
    void aConnectionWithSeveralMatchingSubscriptionsGetsAnItemOnce() {
        hub(true);
        Got both = subscribe(loopA, "chat.*", "chat.a", "chat.a*", "*");
        Got exactOnly = subscribe(loopA, "chat.a");
        Got other = subscribe(loopB, "chat.*");
        Got otherBoth = subscribe(loopB, "chat.a", "chat.*");
        publish("chat.a", "1");
        publish("chat.b", "2");
        Await.until(WAIT, () -> both.got.stream().anyMatch(e -> e.endsWith(":2")), () -> "both got " + both.got);
        awaitGot(other, "chat.*:2");
        awaitGot(otherBoth, "chat.*:2");
        awaitGot(exactOnly, "chat.a:1");
        // each of its subscriptions may be the one that delivers, but only one does
        assertThat(both.got).hasSize(2);
        assertThat(both.got.get(0)).endsWith(":1");
        assertThat(both.got.get(1)).endsWith(":2");
        assertThat(exactOnly.got).containsExactly("chat.a:1");
        assertThat(other.got).containsExactly("chat.*:1", "chat.*:2");
        assertThat(otherBoth.got).hasSize(2);
    }

    @Test
    void aPublishToThePatternsOwnNameReachesItsSubscribersOnce() {
        hub(true);
        Got chat = subscribe(loopA, "chat.*");
        publish("chat.*", "1");
        publish("chat.z", "2");
        awaitGot(chat, "chat.*:2");
        assertThat(chat.got).containsExactly("chat.*:1", "chat.*:2");
    }

    @Test
    void withTheOptionOffAStarIsAnOrdinaryCharacter() {
        hub(false);
        Got chat = subscribe(loopA, "chat.*");
        publish("chat.a", "1");
        publish("chat.*", "2");
        awaitGot(chat, "chat.*:2");
        assertThat(chat.got).containsExactly("chat.*:2");
        assertThat(hub.isWildcard("chat.*")).isFalse();
    }

    @Test
    void aPatternLeftGetsNothingMore() throws Exception {
        hub(true);
        Got chat = subscribe(loopA, "chat.*");
        Got marker = subscribe(loopA, "marker");
        loopA.submit(() -> hub.unsubscribe(loopA, "chat.*", chat)).syncUninterruptibly();
        hub.barrier().get(5, TimeUnit.SECONDS); // the last-subscription event has run
        publish("chat.a", "1");
        publish("marker", "2");
        awaitGot(marker, "marker:2");
        assertThat(chat.got).isEmpty();
        assertThat(hub.channelNames()).doesNotContain("chat.*");
    }
}
