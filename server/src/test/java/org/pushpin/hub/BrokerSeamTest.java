package org.pushpin.hub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pushpin.broker.Broker;
import org.pushpin.message.Action;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.testing.Await;

/**
 * The hub as a broker sees it: publishes go out through the broker and only what it hands back is fanned out;
 * the broker hears of a channel's first and last subscriber; a hold waits for a subscription the broker has not
 * confirmed yet. The broker here is a stand-in for a remote engine whose confirmations the test releases by hand.
 */
class BrokerSeamTest {
    private static MultiThreadIoEventLoopGroup group;
    private static EventLoop loop;
    private Hub hub;
    private final RemoteLikeBroker broker = new RemoteLikeBroker();

    /** Keeps publishes and subscription confirmations until the test releases them. */
    static final class RemoteLikeBroker implements Broker {
        volatile Fanout here;
        final List<List<PublishItem>> published = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<Void>> confirmations = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void start(Fanout local) {
            here = local;
        }

        @Override
        public CompletionStage<Void> publish(List<PublishItem> items) {
            published.add(items);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> subscribe(String channel) {
            events.add("subscribe " + channel);
            return confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
        }

        @Override
        public void unsubscribe(String channel) {
            events.add("unsubscribe " + channel);
        }

        @Override
        public void close() {
            events.add("close");
        }
    }

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private Hub hub() {
        hub = new Hub(HubTest.config(-1, -1, 5000, 60, 0), List.of(), broker, new ServerMetrics());
        return hub;
    }

    private static PublishItem item(String channel, String id) {
        return new PublishItem(channel, id, null, Map.of(), false, -1, null,
                new HttpStreamFormat(Action.SEND, ("data " + id + "\n").getBytes(UTF_8), List.of()), null);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> c) {
        Await.until(Duration.ofSeconds(5), c, what);
    }

    @Test
    void publishesReachSubscribersOnlyThroughTheBroker() {
        hub();
        List<String> got = new CopyOnWriteArrayList<>();
        Subscriber s = (channel, p) -> got.add(p.item().id());
        loop.submit(() -> hub.subscribe(loop, "c", s)).syncUninterruptibly();
        hub.publish(List.of(item("c", "1")));
        assertThat(broker.published).hasSize(1);
        hub.barrier().syncUninterruptibly();
        loop.submit(() -> { }).syncUninterruptibly();
        assertThat(got).as("nothing fanned out before the broker hands it back").isEmpty();
        // Another instance's publish, handed back by the broker, is delivered here like our own.
        broker.here.fanOut(List.of(item("c", "from-elsewhere")));
        broker.here.fanOut(broker.published.get(0));
        await("both delivered", () -> got.size() == 2);
        assertThat(got).containsExactly("from-elsewhere", "1");
    }

    @Test
    void theBrokerHearsOfTheFirstAndLastSubscriberOnly() {
        hub();
        Subscriber a = (channel, p) -> { };
        Subscriber b = (channel, p) -> { };
        loop.submit(() -> {
            hub.subscribe(loop, "c", a);
            hub.subscribe(loop, "c", b);
        }).syncUninterruptibly();
        await("subscribed", () -> broker.events.contains("subscribe c"));
        loop.submit(() -> hub.unsubscribe(loop, "c", a)).syncUninterruptibly();
        hub.barrier().syncUninterruptibly();
        assertThat(broker.events).containsExactly("subscribe c");
        loop.submit(() -> hub.unsubscribe(loop, "c", b)).syncUninterruptibly();
        await("unsubscribed", () -> broker.events.contains("unsubscribe c"));
        assertThat(broker.events).containsExactly("subscribe c", "unsubscribe c");
    }

    @Test
    void aHoldStartsOnlyOnceTheBrokerConfirmedEveryChannel() {
        hub();
        Subscriber s = (channel, p) -> { };
        AtomicBoolean started = new AtomicBoolean();
        loop.submit(() -> {
            hub.subscribe(loop, "x", s);
            hub.subscribe(loop, "y", s);
            hub.whenInForce(loop, new String[] {"x", "y"}, () -> started.set(loop.inEventLoop()));
        }).syncUninterruptibly();
        await("both asked", () -> broker.confirmations.size() == 2);
        broker.confirmations.get("x").complete(null);
        hub.barrier().syncUninterruptibly();
        loop.submit(() -> { }).syncUninterruptibly();
        assertThat(started).as("y is not confirmed yet").isFalse();
        broker.confirmations.get("y").complete(null);
        await("started on its loop", started::get);
        // Once in force, a later hold on the same channels starts at once, before whenInForce returns.
        AtomicBoolean atOnce = new AtomicBoolean();
        loop.submit(() -> {
            hub.subscribe(loop, "x", (channel, p) -> { });
            hub.whenInForce(loop, new String[] {"x"}, () -> atOnce.set(true));
            assertThat(atOnce).isTrue();
        }).syncUninterruptibly();
    }

    @Test
    void closingTheHubClosesTheBroker() {
        hub().close();
        hub = null;
        assertThat(broker.events).contains("close");
    }
}
