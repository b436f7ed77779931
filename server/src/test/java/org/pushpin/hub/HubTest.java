package org.pushpin.hub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pushpin.broker.EmbeddedBroker;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.Action;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.testing.Await;
import org.slf4j.LoggerFactory;

class HubTest {
    private static MultiThreadIoEventLoopGroup group;
    private static EventLoop loopA;
    private static EventLoop loopB;
    private Hub hub;
    private ServerMetrics metrics;
    private ListAppender<ILoggingEvent> handlerLog;

    /** A kind that encodes each item into a fresh object and counts how often it was asked. */
    static final class CountingKind implements DeliveryKind<Object> {
        final java.util.concurrent.atomic.AtomicInteger encoded = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Object encode(PublishItem item) {
            encoded.incrementAndGet();
            return item.httpStream() == null ? null : new Object();
        }
    }

    private final CountingKind kind = new CountingKind();

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        loopA = group.next();
        loopB = group.next();
        assertThat(loopA).isNotSameAs(loopB);
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
        if (handlerLog != null) {
            ((Logger) LoggerFactory.getLogger("handler")).detachAppender(handlerLog);
        }
    }

    static HandlerConfig config(int rate, int hwm, int wait, int idTtl, int linger) {
        return new HandlerConfig("", List.of(), false, "127.0.0.1", -1, 10000, 1000000, "", "", rate, hwm, -1, wait,
                idTtl, 20, linger, 60, 10, "tnetstring", null, "", false);
    }

    private Hub hub(HandlerConfig c) {
        metrics = new ServerMetrics();
        hub = new Hub(c, List.of(kind), new EmbeddedBroker(), metrics);
        handlerLog = new ListAppender<>();
        handlerLog.start();
        ((Logger) LoggerFactory.getLogger("handler")).addAppender(handlerLog);
        return hub;
    }

    private Hub hub() {
        return hub(config(-1, -1, 5000, 60, 0));
    }

    static PublishItem stream(String channel, String id, String prevId) {
        return stream(channel, id, prevId, false);
    }

    static PublishItem stream(String channel, String id, String prevId, boolean noSeq) {
        return new PublishItem(channel, id, prevId, Map.of(), noSeq, -1, null,
                new HttpStreamFormat(Action.SEND, ("data " + id + "\n").getBytes(UTF_8), List.of()), null);
    }

    /** Records what it gets, on which thread; runs an optional hook inside deliver. */
    static final class Recorder implements Subscriber {
        final EventLoop loop;
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<Object> shared = new CopyOnWriteArrayList<>();
        final List<Boolean> onOwnLoop = new CopyOnWriteArrayList<>();
        volatile Consumer<PublishItem> hook = i -> { };

        final DeliveryKind<Object> kind;

        Recorder(EventLoop loop, DeliveryKind<Object> kind) {
            this.loop = loop;
            this.kind = kind;
        }

        @Override
        public void deliver(String channel, Published published) {
            PublishItem item = published.item();
            ids.add(item.id());
            shared.add(published.encoded(kind));
            onOwnLoop.add(loop.inEventLoop());
            hook.accept(item);
        }
    }

    private static void on(EventLoop loop, Runnable r) {
        loop.submit(r).syncUninterruptibly();
    }

    private Recorder subscribe(EventLoop loop, String channel) {
        Recorder r = new Recorder(loop, kind);
        on(loop, () -> hub.subscribe(loop, channel, r));
        return r;
    }

    private void sync() {
        hub.barrier().syncUninterruptibly();
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> c) {
        Await.until(Duration.ofSeconds(5), c, what);
    }

    @Test
    void fansOutToSubscribersOnSeveralLoopsWithOneEncoding() {
        hub();
        List<Recorder> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subs.add(subscribe(loopA, "c"));
        }
        for (int i = 0; i < 2; i++) {
            subs.add(subscribe(loopB, "c"));
        }
        Recorder other = subscribe(loopB, "other");
        assertThat(hub.subscriberCount("c")).isEqualTo(5);
        PublishItem item = stream("c", "1", null);
        hub.publish(List.of(item));
        await("all delivered", () -> subs.stream().allMatch(r -> r.ids.size() == 1));
        assertThat(other.ids).isEmpty();
        Object first = subs.get(0).shared.get(0);
        assertThat(first).isNotNull();
        for (Recorder r : subs) {
            assertThat(r.onOwnLoop).containsExactly(true);
            // Encoded once: every loop got the very same encoding.
            assertThat(r.shared.get(0)).isSameAs(first);
        }
        assertThat(kind.encoded).hasValue(1);
        await("counted", () -> metrics.deliveries() == 5);
        // logged by the hub thread once it has handed the deliveries out: they may run (and be counted) before
        await("logged", () -> messages().contains("publish channel=c receivers=5"));
    }

    @Test
    void publishWithoutSubscribersLogsZeroReceivers() {
        hub();
        hub.publish(List.of(stream("nobody", "1", null)));
        sync();
        assertThat(messages()).contains("publish channel=nobody receivers=0");
        assertThat(metrics.itemsFannedOut()).isEqualTo(1);
    }

    @Test
    void unsubscribeDuringDelivery() {
        hub();
        List<String> last = new CopyOnWriteArrayList<>();
        hub.onLastUnsubscription(last::add);
        Recorder a = subscribe(loopA, "c");
        Recorder b = subscribe(loopA, "c");
        Recorder c = subscribe(loopA, "c");
        // a leaves and removes b before b's turn; c stays until it gets the item, then leaves too.
        a.hook = i -> {
            hub.unsubscribe(loopA, "c", a);
            hub.unsubscribe(loopA, "c", b);
        };
        c.hook = i -> hub.unsubscribe(loopA, "c", c);
        hub.publish(List.of(stream("c", "1", null)));
        await("c delivered", () -> c.ids.size() == 1);
        assertThat(a.ids).containsExactly("1");
        assertThat(b.ids).isEmpty();
        await("last unsubscription", () -> last.equals(List.of("c")));
        assertThat(hub.subscriberCount("c")).isZero();
        hub.publish(List.of(stream("c", "2", null)));
        sync();
        assertThat(a.ids).containsExactly("1");
        assertThat(c.ids).containsExactly("1");
    }

    @Test
    void subscribeOffTheLoopIsRefused() {
        hub();
        assertThatThrownBy(() -> hub.subscribe(loopA, "c", new Recorder(loopA, kind)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void duplicateIdsWithinTheTtlAreDropped() {
        hub();
        Recorder r = subscribe(loopA, "c");
        Recorder r2 = subscribe(loopA, "d");
        hub.publish(List.of(stream("c", "1", null), stream("c", "1", null), stream("d", "1", null)));
        hub.publish(List.of(stream("c", "1", null, true), stream("c", "2", null)));
        await("delivered", () -> r.ids.size() == 2 && r2.ids.size() == 1);
        sync();
        assertThat(r.ids).containsExactly("1", "2");
        assertThat(metrics.dropped(ServerMetrics.Drop.DUPLICATE_ID)).isEqualTo(2);
    }

    @Test
    void prevIdWaitsAndTheChainIsReleasedInOrder() {
        hub();
        Recorder r = subscribe(loopA, "c");
        Recorder r2 = subscribe(loopB, "c");
        hub.publish(List.of(stream("c", "1", null)));
        hub.publish(List.of(stream("c", "3", "2"), stream("c", "4", "3")));
        sync();
        await("first", () -> r.ids.size() == 1);
        assertThat(hub.lastId("c")).isEqualTo("1");
        assertThat(r.ids).containsExactly("1");
        hub.publish(List.of(stream("c", "2", "1")));
        await("chain", () -> r.ids.size() == 4 && r2.ids.size() == 4);
        assertThat(r.ids).containsExactly("1", "2", "3", "4");
        assertThat(r2.ids).containsExactly("1", "2", "3", "4");
        assertThat(hub.lastId("c")).isEqualTo("4");
        assertThat(metrics.dropped(ServerMetrics.Drop.SEQUENCE)).isZero();
    }

    @Test
    void waitingItemsAreReleasedAfterMessageWait() throws Exception {
        hub(config(-1, -1, 300, 0, 0));
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("first", () -> r.ids.size() == 1);
        long start = System.nanoTime();
        hub.publish(List.of(stream("c", "3", "2")));
        // Same prev-id twice: the second one is dropped (and counted), as Pushpin does.
        hub.publish(List.of(stream("c", "3b", "2")));
        sync();
        assertThat(hub.waitingItems()).isEqualTo(1);
        assertThat(metrics.dropped(ServerMetrics.Drop.SEQUENCE)).isEqualTo(1);
        await("released", () -> r.ids.size() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
        assertThat(r.ids).containsExactly("1", "3");
        assertThat(hub.waitingItems()).isZero();
    }

    @Test
    void noSeqBypassesSequencing() {
        hub();
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null), stream("c", "3", "2", true)));
        await("both", () -> r.ids.size() == 2);
        assertThat(r.ids).containsExactly("1", "3");
        assertThat(hub.lastId("c")).as("no-seq items leave the last id alone").isEqualTo("1");
    }

    @Test
    void noSequencingWithoutSubscribersAndFirstItemGoesAtOnce() {
        hub();
        hub.publish(List.of(stream("c", "1", null)));
        sync();
        assertThat(hub.lastId("c")).isNull();
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "9", "8")));
        await("delivered", () -> r.ids.size() == 1);
    }

    @Test
    void firstAndLastSubscriptionListenersAndLastIdsForgotten() {
        hub();
        List<String> events = new CopyOnWriteArrayList<>();
        hub.onFirstSubscription(c -> events.add("first " + c));
        hub.onLastUnsubscription(c -> events.add("last " + c));
        Recorder a = subscribe(loopA, "c");
        Recorder b = subscribe(loopB, "c");
        Recorder a2 = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("delivered", () -> a.ids.size() == 1 && b.ids.size() == 1 && a2.ids.size() == 1);
        sync();
        assertThat(hub.lastId("c")).isEqualTo("1");
        on(loopA, () -> hub.unsubscribe(loopA, "c", a));
        on(loopA, () -> hub.unsubscribe(loopA, "c", a2));
        on(loopA, () -> hub.unsubscribe(loopA, "c", a2)); // twice: no-op
        sync();
        assertThat(events).containsExactly("first c");
        on(loopB, () -> hub.unsubscribe(loopB, "c", b));
        await("last", () -> events.size() == 2);
        assertThat(events).containsExactly("first c", "last c");
        assertThat(hub.lastId("c")).isNull();
        subscribe(loopB, "c");
        await("first again", () -> events.size() == 3);
        assertThat(events.get(2)).isEqualTo("first c");
    }

    @Test
    void lingeringUnsubscribeKeepsTheChannelSubscribed() {
        hub(config(-1, -1, 5000, 0, 1));
        List<String> events = new CopyOnWriteArrayList<>();
        hub.onFirstSubscription(c -> events.add("first " + c));
        hub.onLastUnsubscription(c -> events.add("last " + c));
        Recorder a = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("delivered", () -> a.ids.size() == 1);
        on(loopA, () -> hub.unsubscribe(loopA, "c", a, true));
        sync();
        assertThat(events).containsExactly("first c");
        assertThat(hub.lastId("c")).isEqualTo("1");
        // A re-poll within the linger: no new first-subscription, sequencing state kept.
        Recorder again = subscribe(loopB, "c");
        hub.publish(List.of(stream("c", "3", "2")));
        sync();
        assertThat(again.ids).isEmpty();
        on(loopB, () -> hub.unsubscribe(loopB, "c", again, true));
        long start = System.nanoTime();
        await("last after linger", () -> events.size() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
        assertThat(events).containsExactly("first c", "last c");
        assertThat(hub.lastId("c")).isNull();
        assertThat(metrics.dropped(ServerMetrics.Drop.SEQUENCE)).as("the waiting item is dropped with the channel").isEqualTo(1);
    }

    @Test
    void recoverForgetsLastIdsAndTellsListeners() {
        hub();
        CountDownLatch recovered = new CountDownLatch(1);
        hub.onRecover(recovered::countDown);
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("first", () -> r.ids.size() == 1);
        hub.recover();
        await("listener", () -> recovered.getCount() == 0);
        assertThat(hub.lastId("c")).isNull();
        hub.publish(List.of(stream("c", "5", "4")));
        await("delivered at once", () -> r.ids.size() == 2);
    }

    @Test
    void forgetLastIdFromAHold() {
        hub();
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("first", () -> r.ids.size() == 1);
        sync();
        hub.forgetLastId("c");
        hub.publish(List.of(stream("c", "5", "4")));
        await("delivered at once", () -> r.ids.size() == 2);
    }

    @Test
    void overTheHighWaterMarkDeliveriesAreDroppedAndCounted() throws Exception {
        hub(config(-1, 2, 5000, 0, 0));
        List<Recorder> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subs.add(subscribe(loopA, "c"));
        }
        CountDownLatch gate = new CountDownLatch(1);
        loopA.execute(() -> {
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hub.publish(List.of(stream("c", "1", null)));
        hub.publish(List.of(stream("c", "2", null)));
        sync();
        assertThat(hub.queuedDeliveries()).isEqualTo(2);
        assertThat(metrics.dropped(ServerMetrics.Drop.MESSAGE_HWM)).isEqualTo(4);
        gate.countDown();
        await("drained", () -> hub.queuedDeliveries() == 0);
        assertThat(metrics.deliveries()).isEqualTo(2);
        assertThat(subs.stream().mapToInt(r -> r.ids.size()).sum()).isEqualTo(2);
        assertThat(messages()).anyMatch(m -> m.startsWith("exceeded publish hwm (2)"));
        assertThat(messages()).contains("publish channel=c receivers=3");
    }

    @Test
    void aHighWaterMarkSetWhileRunningAppliesToTheNextPublish() throws Exception {
        hub(config(-1, -1, 5000, 0, 0));
        List<Recorder> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subs.add(subscribe(loopA, "c"));
        }
        hub.reconfigure(config(-1, 2, 5000, 0, 0)); // as a SIGHUP does
        hub.publish(List.of(stream("c", "1", null)));
        sync();
        assertThat(metrics.dropped(ServerMetrics.Drop.MESSAGE_HWM)).as("3 receivers, room for 2").isEqualTo(1);
        await("drained", () -> hub.queuedDeliveries() == 0);
        assertThat(subs.stream().mapToInt(r -> r.ids.size()).sum()).isEqualTo(2);
    }

    @Test
    void liftingTheRateWhileRunningSendsWhatWaitsAtOnce() {
        hub(config(1, -1, 5000, 0, 0)); // one delivery a second
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null), stream("c", "2", null), stream("c", "3", null)));
        await("first", () -> r.ids.size() == 1);
        hub.reconfigure(config(-1, -1, 5000, 0, 0));
        sync();
        on(loopA, () -> { });
        assertThat(r.ids).containsExactly("1", "2", "3");
    }

    @Test
    void messageRateSpreadsDeliveries() {
        hub(config(20, -1, 5000, 0, 0));
        Recorder r = subscribe(loopA, "c");
        long start = System.nanoTime();
        List<PublishItem> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(stream("c", Integer.toString(i), null));
        }
        hub.publish(items);
        await("all", () -> r.ids.size() == 10);
        assertThat(r.ids).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        // 20/s: one every 50 ms, the first at once.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void withinTheRateAllowanceAPublishGoesAtOnce() {
        // 1000/s: 25 deliveries per 25 ms interval. The second publish fits the interval's allowance, so it must
        // not wait for the next interval (it did: every publish after the first in an interval waited up to 25 ms).
        hub(config(1000, -1, 5000, 0, 0));
        Recorder r = subscribe(loopA, "c");
        hub.publish(List.of(stream("c", "1", null)));
        await("first", () -> r.ids.size() == 1);
        hub.publish(List.of(stream("c", "2", null)));
        sync();
        on(loopA, () -> { });
        assertThat(r.ids).containsExactly("1", "2");
    }

    @Test
    void forEachSubscriberRunsOnEachLoop() {
        hub();
        Recorder a = subscribe(loopA, "c");
        Recorder b = subscribe(loopB, "c");
        ConcurrentLinkedQueue<Boolean> seen = new ConcurrentLinkedQueue<>();
        hub.forEachSubscriber("c", s -> seen.add(((Recorder) s).loop.inEventLoop()));
        await("both", () -> seen.size() == 2);
        assertThat(seen).containsOnly(true);
        assertThat(a).isNotSameAs(b);
    }

    private List<String> messages() {
        return handlerLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
