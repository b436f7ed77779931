package org.pushpin.hub;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.PublishItem;
import org.pushpin.timer.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel subscriptions, sequencing, limits and encode-once fanout (DESIGN.md "Fanout without locks").
 *
 * <p>Threads. Subscribers subscribe and unsubscribe on their own event loop and are delivered to there. Each loop
 * has its own registry (channel → {@link LoopChannel}, touched by that loop only); a concurrent map (channel →
 * {@link ChannelIndex}) tells which loops have a channel, changed only when a loop gets its first subscriber of a
 * channel or loses its last. Publishing runs on one hub thread: de-dup and {@code prev-id} ordering
 * ({@link Sequencer}), then the item is encoded once and ONE task per loop that has subscribers is sent
 * ({@link Delivery}), through the {@code message_rate}/{@code message_hwm} limiter ({@link DeliveryLimiter}).
 * Listeners run on the hub thread, in the order the events happened; they must not block.
 *
 * <p>Memory per subscription (channel × subscriber), compressed oops: one array slot in its {@link LoopChannel},
 * 4 bytes plus growth slack (≈5–6 on average, 16 at worst before the array shrinks); with more than 64
 * subscribers of the channel on one loop, 5–11 bytes more of hash index. Nothing else is allocated per
 * subscription. Fixed costs: per channel and loop ~110 bytes ({@link LoopChannel}, its array header, the loop
 * registry's map entry), per channel ~110 bytes ({@link ChannelIndex}, its loop array, its map entry).
 */
public final class Hub implements Publisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("handler");
    private static final byte[] CRLF = {'\r', '\n'};

    private final long lingerMillis;
    private final int blockSize;
    private final DefaultEventExecutor executor;
    private final ConcurrentHashMap<String, ChannelIndex> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventLoop, HashMap<String, LoopChannel>> registries = new ConcurrentHashMap<>();
    private final Sequencer sequencer;
    private final DeliveryLimiter limiter;
    private final CopyOnWriteArrayList<Consumer<String>> firstListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> lastListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> recoverListeners = new CopyOnWriteArrayList<>();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder itemsFannedOut = new LongAdder();

    public Hub(HandlerConfig config) {
        requireNonNull(config, "config");
        this.lingerMillis = TimeUnit.SECONDS.toMillis(Math.max(0, config.subscriptionLinger()));
        this.blockSize = config.messageBlockSize();
        this.executor = new DefaultEventExecutor(new DefaultThreadFactory("pushpin-hub", true));
        this.sequencer = new Sequencer(executor, config.messageWait(), config.idCacheTtl(), this::fanout);
        this.limiter = new DeliveryLimiter(executor, config.messageRate(), config.messageHwm());
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
                    ci = new ChannelIndex(k, this);
                    post(() -> firstSubscribed(k));
                }
                ci.attach(added);
                return ci;
            });
        }
        lc.add(s);
        return lc.channel;
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

    /** The channels with subscribers (or lingering) on this instance: a live, weakly consistent view. */
    public java.util.Set<String> channelNames() {
        return java.util.Collections.unmodifiableSet(channels.keySet());
    }

    /** Called (on the hub thread) when a channel gets its first subscriber on this instance. */
    public void onFirstSubscription(Consumer<String> listener) {
        firstListeners.add(requireNonNull(listener, "listener"));
    }

    /** Called (on the hub thread) when a channel loses its last subscriber on this instance (after any linger). */
    public void onLastUnsubscription(Consumer<String> listener) {
        lastListeners.add(requireNonNull(listener, "listener"));
    }

    /** Called (on the hub thread) on {@code recover}, after the last ids were forgotten: holds should update. */
    public void onRecover(Runnable listener) {
        recoverListeners.add(requireNonNull(listener, "listener"));
    }

    /** The id of the last item sent on {@code channel}, or null (any thread; holds compare it with a prev-id). */
    public String lastId(String channel) {
        return sequencer.lastId(channel);
    }

    /** Forgets {@code channel}'s last id (a hold found it inconsistent with its prev-id). Any thread. */
    public void forgetLastId(String channel) {
        sequencer.forgetLastId(channel);
    }

    // ---- publishing (any thread) ----

    @Override
    public void publish(List<PublishItem> items) {
        List<PublishItem> copy = List.copyOf(items);
        if (!post(() -> {
            for (PublishItem item : copy) {
                try {
                    boolean seq = !item.noSeq() && channels.containsKey(item.channel());
                    sequencer.add(item, seq);
                } catch (RuntimeException e) {
                    LOG.warn("publish of an item on channel {} failed", item.channel(), e);
                }
            }
        })) {
            LOG.warn("hub closed, dropping {} published items", copy.size());
        }
    }

    @Override
    public void recover() {
        post(() -> {
            sequencer.forgetLastIds();
            for (Runnable l : recoverListeners) {
                try {
                    l.run();
                } catch (Throwable e) {
                    LOG.warn("recover listener failed", e);
                }
            }
        });
    }

    // ---- counters (any thread) ----

    /** Deliveries made to subscribers. */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Deliveries dropped because {@code message_hwm} was exceeded (each logged: {@code exceeded publish hwm}). */
    public long droppedDeliveries() {
        return limiter.dropped.sum();
    }

    /** Items dropped silently as duplicates ({@code id_cache_ttl}). */
    public long duplicatesDropped() {
        return sequencer.duplicatesDropped();
    }

    /** Items that waited for a prev-id and were dropped: over 100 waiting, same prev-id twice, or unsubscribed. */
    public long sequencerDropped() {
        return sequencer.waitingDropped();
    }

    /** Weight of the deliveries admitted but not yet run (what {@code message_hwm} bounds). */
    public long queuedDeliveries() {
        return limiter.queued.get();
    }

    /** Items that left the sequencer (each logged {@code publish channel=... receivers=N}). */
    public long itemsFannedOut() {
        return itemsFannedOut.sum();
    }

    /** Stops the hub thread; pending items are dropped. */
    @Override
    public void close() {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Completes once the hub thread has run everything submitted before (for tests). */
    Future<?> barrier() {
        return executor.submit(() -> { });
    }

    int waitingItems() throws Exception {
        return executor.submit(sequencer::waiting).get();
    }

    // ---- internals ----

    /** On the hub thread: one item out of the sequencer, encoded once, one task per loop. */
    private void fanout(PublishItem item) {
        itemsFannedOut.increment();
        ChannelIndex ci = channels.get(item.channel());
        int receivers = 0;
        if (ci != null) {
            SharedContent shared = null;
            int unit = 1;
            for (LoopChannel lc : ci.loops) {
                int n = lc.live();
                if (n <= 0) {
                    continue;
                }
                if (shared == null) {
                    shared = encode(item);
                    unit = unitWeight(item);
                }
                receivers += n;
                limiter.offer(new Delivery(this, lc, item, shared, n, unit));
            }
        }
        HANDLER_LOG.info("publish channel={} receivers={}", item.channel(), receivers);
    }

    /** On the delivery's loop, after it ran. */
    void delivered(Delivery d, int count) {
        deliveries.add(count);
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
        boolean linger = lc.lingerRequested && lingerMillis > 0;
        channels.computeIfPresent(lc.channel, (k, ci) -> {
            ci.detach(lc);
            long now = System.nanoTime();
            if (linger) {
                ci.lingerUntil = now + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
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

    private void firstSubscribed(String channel) {
        for (Consumer<String> l : firstListeners) {
            try {
                l.accept(channel);
            } catch (Throwable e) {
                LOG.warn("first-subscription listener failed", e);
            }
        }
    }

    private void lastUnsubscribed(String channel) {
        sequencer.clear(channel);
        for (Consumer<String> l : lastListeners) {
            try {
                l.accept(channel);
            } catch (Throwable e) {
                LOG.warn("last-unsubscription listener failed", e);
            }
        }
    }

    private int unitWeight(PublishItem item) {
        if (blockSize <= 0) {
            return 1;
        }
        long size = item.size();
        if (size < 0) {
            size = 0;
            if (item.httpResponse() != null && item.httpResponse().body() != null) {
                size = Math.max(size, item.httpResponse().body().length);
            }
            if (item.httpStream() != null && item.httpStream().content() != null) {
                size = Math.max(size, item.httpStream().content().length);
            }
            if (item.wsMessage() != null && item.wsMessage().content() != null) {
                size = Math.max(size, item.wsMessage().content().length);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, (size + blockSize - 1) / blockSize);
    }

    /**
     * The item's {@code http-stream} bytes, encoded once for every delivery in both framings (see
     * {@link SharedContent}). Long-poll deliveries build their response from the item itself.
     */
    static SharedContent encode(PublishItem item) {
        byte[] content = item.httpStream() == null ? null : item.httpStream().content();
        if (content == null || content.length == 0) {
            return SharedContent.NONE;
        }
        byte[] size = Integer.toHexString(content.length).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer raw = ByteBuffer.allocateDirect(content.length);
        raw.put(content).flip();
        ByteBuffer chunk = ByteBuffer.allocateDirect(size.length + content.length + 4);
        chunk.put(size).put(CRLF).put(content).put(CRLF).flip();
        return new SharedContent(share(raw), share(chunk));
    }

    /**
     * JDK direct buffers, freed by their cleaner once unreachable: unlike Netty's own direct buffers they need no
     * release, so many loops can share one without counting who finished last.
     */
    private static ByteBuf share(ByteBuffer bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
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
