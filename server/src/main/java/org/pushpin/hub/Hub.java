package org.pushpin.hub;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pushpin.broker.Broker;
import org.pushpin.broker.KeptHistory;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.DeliveryReport;
import org.pushpin.publish.Publisher;
import org.pushpin.timer.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel subscriptions, sequencing, limits and encode-once fanout (docs/architecture.md, "Holds and publishing").
 *
 * <p>Threads. Subscribers subscribe and unsubscribe on their own event loop and are delivered to there. Each loop
 * has its own registry (channel → {@link LoopChannel}, touched by that loop only); a concurrent map (channel →
 * {@link ChannelIndex}) tells which loops have a channel, changed only when a loop gets its first subscriber of a
 * channel or loses its last. A publish goes to the {@link Broker}, which hands back what this instance must fan out
 * (with the {@link org.pushpin.broker.EmbeddedBroker}: the same items, at once). Fanning out runs on one hub thread:
 * de-dup and {@code prev-id} ordering ({@link Sequencer}), then the item is encoded once per {@link DeliveryKind}
 * ({@link Published}) and ONE task per loop that has subscribers is sent ({@link Delivery}), through the
 * {@code message_rate}/{@code message_hwm} limiter ({@link DeliveryLimiter}). The broker hears of a channel's first
 * and last subscriber here, on the hub thread. Listeners run on the hub thread, in the order the events happened;
 * they must not block. A publisher that asks what became of its items gets a {@link ReportedPublish}
 * ({@link PublishReports}) that rides through sequencing and fanout, summed once per loop like the stats' tally.
 * With {@code wildcard_channels}, {@link Wildcards} (hub thread, consulted only while not empty) adds the patterns
 * an item's channel matches to its fanout, which then delivers once per connection. With {@code history_size}, the
 * fanout keeps each item in the {@link ChannelHistory} (or the broker does), read through {@link HistoryLookups}.
 *
 * <p>Memory per subscription (channel × subscriber), compressed oops: one array slot in its {@link LoopChannel},
 * 4 bytes plus growth slack (≈5–6 on average, 16 at worst before the array shrinks); with more than 64
 * subscribers of the channel on one loop, 5–11 bytes more of hash index. Nothing else is allocated per
 * subscription. Fixed costs: per channel and loop ~110 bytes ({@link LoopChannel}, its array header, the loop
 * registry's map entry), per channel ~110 bytes ({@link ChannelIndex}, its loop array, its map entry).
 */
public final class Hub implements Publisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    /** {@code subscription_linger} in ms; volatile: read on subscriber loops, changed on SIGHUP. */
    private volatile long lingerMillis;
    private final DefaultEventExecutor executor;
    private final ConcurrentHashMap<String, ChannelIndex> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventLoop, HashMap<String, LoopChannel>> registries = new ConcurrentHashMap<>();
    private final Sequencer sequencer;
    private final DeliveryLimiter limiter;
    private final Fanout fanout;
    /** {@code history_size}/{@code history_ttl}: the kept items (hub thread), or null while off (the default). */
    private final ChannelHistory history;
    private final HistoryLookups lookups;
    private final Broker broker;
    private final ServerMetrics metrics;
    private final DeliveryKind<?>[] kinds;
    private final HubListeners listeners = new HubListeners();
    /** The stats socket's ear, or null: then no subscriber is counted by mode and no delivery tallied. */
    private volatile SubscriptionListener statsListener;
    /** Publishes whose publisher waits for a report or feedback. */
    private final PublishReports reports;
    /** Hub thread: the wildcard subscriptions held ({@code wildcard_channels}), or null when the option is off. */
    private final Wildcards wildcards;
    /** Hub thread: when the batch of items being sequenced now arrived from the broker (0 outside a batch). */
    private long batchArrivedNanos;

    /**
     * @param kinds the kinds of held connection this instance has; each encodes every fanned-out item once
     * @param broker where publishes go and come back from; started here
     */
    public Hub(HandlerConfig config, List<? extends DeliveryKind<?>> kinds, Broker broker, ServerMetrics metrics) {
        requireNonNull(config, "config");
        this.kinds = kinds.toArray(new DeliveryKind<?>[0]);
        this.broker = requireNonNull(broker, "broker");
        this.metrics = requireNonNull(metrics, "metrics");
        this.lingerMillis = TimeUnit.SECONDS.toMillis(Math.max(0, config.subscriptionLinger()));
        this.executor = new DefaultEventExecutor(new DefaultThreadFactory("pushpin-hub", true));
        this.sequencer = new Sequencer(executor, config.messageWait(), config.idCacheTtl(), metrics, this::fanout);
        this.limiter = new DeliveryLimiter(executor, config.messageRate(), config.messageHwm(),
                config.messageBlockSize(), metrics);
        KeptHistory kept = config.history().on() ? broker.keptHistory() : null;
        this.history = kept != null ? null : ChannelHistory.of(config.history(), executor, metrics.history());
        this.lookups = HistoryLookups.of(history, kept, this.kinds, this::post, metrics.history());
        this.fanout = new Fanout(this, limiter, this.kinds, metrics, history);
        this.wildcards = config.wildcardChannels() ? new Wildcards() : null;
        this.reports = new PublishReports(broker, metrics, executor, this::post, this::fanOutHere);
        broker.start(new BrokerEar(this::fanOutHere, reports::countHere));
    }

    /**
     * New limits (SIGHUP): {@code subscription_linger} for channels left from now on; {@code message_rate},
     * {@code message_hwm}, {@code message_block_size}, {@code message_wait} and {@code id_cache_ttl} for what the
     * hub thread does after the publishes already queued to it.
     */
    public void reconfigure(HandlerConfig c) {
        lingerMillis = TimeUnit.SECONDS.toMillis(Math.max(0, c.subscriptionLinger()));
        post(() -> {
            sequencer.limits(c.messageWait(), c.idCacheTtl());
            limiter.limits(c.messageRate(), c.messageHwm(), c.messageBlockSize());
        });
    }

    /** {@code subscription_linger} in ms, as now in force (the stats socket lingers its announcements as long). */
    public long lingerMillis() {
        return lingerMillis;
    }

    // ---- subscriptions (on the subscriber's loop) ----

    /**
     * Subscribes {@code s} to {@code channel} (the full name, route prefix included). Call it on {@code loop}.
     * Returns the name as the hub keeps it (equal to {@code channel}), for subscribers that want to share it.
     */
    public String subscribe(EventLoop loop, String channel, Subscriber s) {
        requireNonNull(channel, "channel");
        requireNonNull(s, "s");
        checkLoop(loop);
        HashMap<String, LoopChannel> registry = registries.computeIfAbsent(loop, l -> new HashMap<>());
        LoopChannel lc = registry.get(channel);
        if (lc == null) {
            lc = new LoopChannel(channel, loop);
            registry.put(channel, lc);
            LoopChannel added = lc;
            channels.compute(channel, (k, ci) -> {
                if (ci == null) {
                    ci = new ChannelIndex(k, this, broker.subscribesAtOnce());
                    ChannelIndex first = ci;
                    post(() -> firstSubscribed(first));
                }
                ci.attach(added);
                return ci;
            });
        }
        if (lc.add(s)) {
            metrics.subscribed();
            SubscriptionListener l = statsListener;
            if (l != null) {
                l.changed(lc.channel);
            }
        }
        return lc.channel;
    }

    /**
     * Runs {@code then} on {@code loop} once every channel in {@code channels} (subscribed on this instance) is in
     * force at the broker, so that a publish accepted after the client saw anything reaches it. With an in-process
     * broker that is at once: {@code then} runs before this returns. Call it on {@code loop}.
     */
    public void whenInForce(EventLoop loop, String[] channels, Runnable then) {
        checkLoop(loop);
        ChannelIndex.whenInForce(this.channels, loop, channels, then);
    }

    /** Unsubscribes {@code s} from {@code channel} at once, without linger. Call it on {@code loop}. */
    public void unsubscribe(EventLoop loop, String channel, Subscriber s) {
        unsubscribe(loop, channel, s, false);
    }

    /**
     * Unsubscribes {@code s} from {@code channel}; call it on {@code loop}. {@code linger} (response holds): should
     * this leave the channel without subscribers, it stays "subscribed" on this instance for
     * {@code subscription_linger} s (sequencing state kept, no last/first-subscription events if a subscriber comes
     * back in time), as Pushpin does for long-polls that re-poll.
     */
    public void unsubscribe(EventLoop loop, String channel, Subscriber s, boolean linger) {
        requireNonNull(channel, "channel");
        requireNonNull(s, "s");
        checkLoop(loop);
        HashMap<String, LoopChannel> registry = registries.get(loop);
        LoopChannel lc = registry == null ? null : registry.get(channel);
        if (lc == null || !lc.remove(s)) {
            return;
        }
        metrics.unsubscribed();
        SubscriptionListener l = statsListener;
        if (l != null) {
            l.changed(lc.channel);
        }
        lc.lingerRequested |= linger;
        if (lc.live() == 0 && !lc.walking()) {
            release(lc);
        }
    }

    /** Subscribers of {@code channel} on this instance (a moment's count, from any thread). */
    public int subscriberCount(String channel) {
        ChannelIndex ci = channels.get(channel);
        return ci == null ? 0 : ci.subscribers();
    }

    /**
     * Subscribers of {@code mode} on {@code channel} on this instance (a moment's count, from any thread); counted
     * only with a {@link SubscriptionListener}, else 0.
     */
    public int subscribers(String channel, Subscriber.Mode mode) {
        ChannelIndex ci = channels.get(channel);
        return ci == null ? 0 : ci.subscribers(mode);
    }

    /**
     * Sets the one listener the stats socket has, before any client subscribes (subscribers of an earlier
     * subscription are not counted by mode).
     */
    public void listen(SubscriptionListener listener) {
        statsListener = listener;
    }

    /** Runs {@code action} for each subscriber of {@code channel}, each on its own loop (e.g. to retry holds). */
    public void forEachSubscriber(String channel, Consumer<Subscriber> action) {
        requireNonNull(action, "action");
        ChannelIndex ci = channels.get(channel);
        if (ci == null) {
            return;
        }
        for (LoopChannel lc : ci.loops) {
            lc.loop.execute(() -> {
                lc.forEach(action);
                releaseIfEmpty(lc);
            });
        }
    }

    /**
     * The server is stopping: every subscriber ends its hold ({@link Subscriber#drain}), each on its own loop. The
     * future completes once every loop has done so.
     */
    public Future<?> drain() {
        return HubDrain.drain(executor, registries, this::releaseIfEmpty);
    }

    /** The channels with subscribers (or lingering) on this instance: a live, weakly consistent view. */
    public java.util.Set<String> channelNames() {
        return java.util.Collections.unmodifiableSet(channels.keySet());
    }

    /** Called (on the hub thread) when a channel gets its first subscriber on this instance. */
    public void onFirstSubscription(Consumer<String> listener) {
        listeners.onFirst(listener);
    }

    /** Called (on the hub thread) when a channel loses its last subscriber on this instance (after any linger). */
    public void onLastUnsubscription(Consumer<String> listener) {
        listeners.onLast(listener);
    }

    /** Called (on the hub thread) on {@code recover}, after the last ids were forgotten: holds should update. */
    public void onRecover(Runnable listener) {
        listeners.onRecover(listener);
    }

    /**
     * Whether {@code channel} (full name) is a wildcard subscription: {@code wildcard_channels} is on and it ends
     * in {@code *}. Holds ignore a prev-id given for one (docs/wildcard-channels.md). Any thread.
     */
    public boolean isWildcard(String channel) {
        return wildcards != null && Wildcards.isPattern(channel);
    }

    /** The id of the last item sent on {@code channel}, or null (any thread; holds compare it with a prev-id). */
    public String lastId(String channel) {
        return sequencer.lastId(channel);
    }

    /** Forgets {@code channel}'s last id (a hold found it inconsistent with its prev-id). Any thread. */
    public void forgetLastId(String channel) {
        sequencer.forgetLastId(channel);
    }

    // ---- history (docs/history.md) ----

    /** The lookups resuming subscribers make in the kept items; null while {@code history_size} is not set. */
    public HistoryLookups history() {
        return lookups;
    }

    /** An accepted publish: to the broker, which hands back what this instance fans out. */
    @Override
    public CompletionStage<Void> publish(List<PublishItem> items) {
        List<PublishItem> copy = List.copyOf(items);
        metrics.itemsReceived(copy.size());
        return broker.publish(copy);
    }

    /** Only with a broker that fans out in place (the in-process one): the items come back as handed over. */
    @Override
    public boolean reportsDrops() {
        return broker.fansOutInPlace();
    }

    /** Registered on the hub thread before the broker has it, so the batch finds its report when it comes back. */
    @Override
    public CompletionStage<DeliveryReport> publishReporting(List<PublishItem> items) {
        return publishReporting(items, 0);
    }

    /** As {@link #publishReporting(List)}; after {@code waitMillis} (&gt; 0) with what is known by then. */
    @Override
    public CompletionStage<DeliveryReport> publishReporting(List<PublishItem> items, long waitMillis) {
        return reportsDrops() ? reports.publishReporting(items, waitMillis) : Publisher.super.publishReporting(items);
    }

    @Override
    public boolean reportsFeedback() {
        return broker.fansOutInPlace() || broker.collectsFeedback();
    }

    /** In place: as a drop report; through a cluster broker: every instance's counts, summed by the broker. */
    @Override
    public CompletionStage<DeliveryReport> publishWithFeedback(List<PublishItem> items, long waitMillis) {
        if (broker.fansOutInPlace() || !broker.collectsFeedback()) {
            return publishReporting(items, waitMillis);
        }
        return reports.publishCounting(items, waitMillis);
    }

    /** From the broker: items to fan out on this instance, in order. */
    private void fanOutHere(List<PublishItem> copy) {
        if (!post(() -> {
            batchArrivedNanos = System.nanoTime();
            ReportedPublish report = reports.take(copy);
            for (int i = 0; i < copy.size(); i++) {
                PublishItem item = copy.get(i);
                ReportedPublish.Item itemReport = report == null ? null : report.item(i);
                try {
                    boolean seq = !item.noSeq() && channels.containsKey(item.channel());
                    sequencer.add(item, seq, itemReport);
                } catch (RuntimeException e) {
                    LOG.warn("publish of an item on channel {} failed", item.channel(), e);
                    if (itemReport != null) {
                        itemReport.finished();
                    }
                }
            }
            batchArrivedNanos = 0;
        })) {
            LOG.warn("hub closed, dropping {} published items", copy.size());
        }
    }

    @Override
    public void recover() {
        post(() -> {
            sequencer.forgetLastIds();
            listeners.recovered();
        });
    }

    /** Weight of the deliveries admitted but not yet run (what {@code message_hwm} bounds). */
    public long queuedDeliveries() {
        return limiter.queued.get();
    }

    /** Stops the hub thread; pending items are dropped. */
    @Override
    public void close() {
        post(broker::close);
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Completes once the hub thread has run everything submitted before (for tests). */
    Future<?> barrier() {
        return executor.submit(() -> { });
    }

    /** Items the sequencer holds back (for tests). */
    int waitingItems() throws Exception {
        return executor.submit(sequencer::waiting).get();
    }

    /** On the hub thread: one item out of the sequencer (its publisher's report or null). */
    private void fanout(PublishItem item, ReportedPublish.Item report) {
        ChannelIndex exact = channels.get(item.channel());
        ChannelIndex[] wild = wildcards == null || wildcards.isEmpty() ? null
                : wildcards.matches(item.channel(), exact, channels);
        fanout.run(item, exact, wild, report, statsListener, batchArrivedNanos);
    }

    /** On the delivery's loop, after it ran. */
    void delivered(Delivery d, int count) {
        metrics.delivered(count);
        metrics.deliveryLatency().observeNanos(System.nanoTime() - d.published.arrivedNanos());
        limiter.done(d);
        releaseIfEmpty(d.target);
    }

    private void releaseIfEmpty(LoopChannel lc) {
        if (lc.live() == 0 && !lc.detached && !lc.walking()) {
            release(lc);
        }
    }

    /** On lc's loop: lc has no subscriber left; take it out of its registry and of the channel's index. */
    private void release(LoopChannel lc) {
        lc.detached = true;
        HashMap<String, LoopChannel> registry = registries.get(lc.loop);
        if (registry != null) {
            registry.remove(lc.channel, lc);
        }
        long lingerFor = lc.lingerRequested ? lingerMillis : 0;
        channels.computeIfPresent(lc.channel, (k, ci) -> {
            ci.detach(lc);
            long now = System.nanoTime();
            if (lingerFor > 0) {
                ci.lingerUntil = now + TimeUnit.MILLISECONDS.toNanos(lingerFor);
                ci.lingerSet = true;
            }
            if (ci.loops.length > 0) {
                return ci;
            }
            if (ci.lingerSet && ci.lingerUntil - now > 0) {
                long millis = TimeUnit.NANOSECONDS.toMillis(ci.lingerUntil - now) + 1;
                post(() -> TimerWheel.of(executor).schedule(ci, millis));
                return ci;
            }
            post(() -> lastUnsubscribed(k));
            return null;
        });
    }

    /** On the hub thread: a lingering channel's time is up, unless it has subscribers again. */
    void lingerExpired(ChannelIndex expired) {
        channels.computeIfPresent(expired.channel, (k, ci) -> {
            if (ci != expired || ci.loops.length > 0) {
                return ci;
            }
            long left = ci.lingerUntil - System.nanoTime();
            if (left > 0) {
                TimerWheel.of(executor).schedule(ci, TimeUnit.NANOSECONDS.toMillis(left) + 1);
                return ci;
            }
            post(() -> lastUnsubscribed(k));
            return null;
        });
    }

    private void firstSubscribed(ChannelIndex ci) {
        String channel = ci.channel;
        try {
            CompletionStage<Void> inForce = broker.subscribe(channel);
            if (!ci.inForce()) {
                inForce.whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn("broker subscription to {} failed; holding without it", channel, e);
                    }
                    ci.nowInForce();
                });
            }
        } catch (RuntimeException e) {
            // Holds waiting for the channel go ahead: on this instance's own publishes they still work.
            LOG.warn("broker subscription to {} failed; holding without it", channel, e);
            ci.nowInForce();
        }
        if (wildcards != null) {
            wildcards.added(channel);
        }
        listeners.first(channel);
    }

    private void lastUnsubscribed(String channel) {
        if (wildcards != null) {
            wildcards.removed(channel);
        }
        sequencer.clear(channel);
        try {
            broker.unsubscribe(channel);
        } catch (RuntimeException e) {
            LOG.warn("broker unsubscribe from {} failed", channel, e);
        }
        listeners.last(channel);
    }

    /** Runs {@code task} on the hub thread, in submission order; false once the hub is closed. */
    private boolean post(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.debug("hub closed, task not run");
            return false;
        }
    }

    private static void checkLoop(EventLoop loop) {
        requireNonNull(loop, "loop");
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("subscribe/unsubscribe must be called on the subscriber's loop");
        }
    }
}
