package org.pushpin.broker;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pushpin.config.ClusterConfig;
import org.pushpin.config.HistoryConfig;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishItem;
import org.pushpin.message.PublishItemJson;
import org.pushpin.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances share one channel space through Redis pub/sub ({@code [cluster] broker=redis}, docs/scaling.md). Each
 * accepted item is one PUBLISH (SPUBLISH when sharded) on {@code <prefix><channel>}, its payload the item as the
 * publish API's JSON; an instance SUBSCRIBEs to the channels it holds and fans out what Redis sends back — its own
 * publishes included, so every instance, this one too, sees one order per channel: Redis's. De-duplication by
 * {@code id} and {@code prev-id} sequencing run in each instance's hub on that order, so they decide alike
 * everywhere without talking to each other.
 *
 * <p>Connections: one for publishing (commands pipelined, answered in order), {@value #SUB_CONNECTIONS} for
 * subscriptions, a channel always on the same one (by hash). SUBSCRIBE/UNSUBSCRIBE requests are batched: what the
 * hub asks for in a burst goes out as one command per connection. Redis traffic per publish is one message per
 * instance that holds the channel, whatever the number of connections held.
 *
 * <p>Faults: while Redis is unreachable a publish fails at once (Lettuce rejects commands on a disconnected
 * connection): the control API answers 503. Lettuce reconnects by itself; on each reconnect of a subscription
 * connection this broker subscribes again to every channel it holds there (it does not rely on the library's own
 * resubscription, which does not cover sharded channels).
 *
 * <p>With {@code [handler] wildcard_channels}, a channel ending in {@code *} is a PSUBSCRIBE and everything goes on
 * one subscription connection, so each publish is fanned out once here however many subscriptions match it
 * ({@link RedisPatterns}).
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger("cluster");
    static final int SUB_CONNECTIONS = 2;

    private record Op(boolean subscribe, String channel) {
    }

    private final ClusterConfig config;
    private final ServerMetrics metrics;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> pub;
    private final List<StatefulRedisPubSubConnection<byte[], byte[]>> subs = new ArrayList<>();
    /**
     * Channels subscribed (or being subscribed) upstream, by subscription connection, each with the stage the hub
     * waits on: completed by the first SUBSCRIBE that Redis acknowledges, be it the first try or the one after a
     * reconnect.
     */
    private final List<Map<String, CompletableFuture<Void>>> held = new ArrayList<>();
    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile Fanout local;
    /** Subscription connections: one with wildcards ({@link RedisPatterns}), else {@value #SUB_CONNECTIONS}. */
    private final int subConnections;
    /** The wildcard subscriptions' state, or null when {@code wildcard_channels} is off. */
    private final RedisPatterns patterns;
    private volatile boolean closed;
    private final RedisFeedback feedback = new RedisFeedback();
    private final byte[] feedbackKey;
    /** The reply channel for delivery feedback in force, once a publisher asked for it (else null). */
    private volatile CompletableFuture<Void> feedbackReady;
    /** The channel history in Redis ({@code history_size} set), or null. */
    private final RedisHistory history;

    /** Connects (fails when Redis cannot be reached at start: the server does not start without its broker). */
    public RedisBroker(ClusterConfig config, ServerMetrics metrics) {
        this(config, metrics, false);
    }

    /** @param wildcards {@code [handler] wildcard_channels}: a channel ending in {@code *} is a pattern */
    public RedisBroker(ClusterConfig config, ServerMetrics metrics, boolean wildcards) {
        this(config, metrics, wildcards, HistoryConfig.OFF);
    }

    /** @param history {@code history_size}/{@code history_ttl}: when on, the history is kept in Redis */
    public RedisBroker(ClusterConfig config, ServerMetrics metrics, boolean wildcards, HistoryConfig history) {
        this.config = config;
        this.metrics = metrics;
        this.patterns = wildcards ? new RedisPatterns(config.redisPrefix()) : null;
        this.subConnections = wildcards ? 1 : SUB_CONNECTIONS;
        if (wildcards && config.redisSharded()) {
            LOG.warn("cluster: wildcard_channels with redis_sharded: Redis has no sharded pattern subscription, so"
                    + " wildcard subscriptions get only what reaches them on this instance without Redis: nothing");
        }
        this.feedbackKey = key(feedback.replyChannel);
        this.client = RedisClient.create(RedisURI.create(config.redisUrl()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            this.pub = client.connect(ByteArrayCodec.INSTANCE);
            for (int i = 0; i < subConnections; i++) {
                StatefulRedisPubSubConnection<byte[], byte[]> c = client.connectPubSub(ByteArrayCodec.INSTANCE);
                c.addListener(new Messages());
                subs.add(c);
                held.add(new ConcurrentHashMap<>());
            }
            this.history = history.on() ? new RedisHistory(pub, config.redisPrefix(), history,
                    config.redisSharded()) : null;
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        client.addListener(new Reconnects());
        metrics.brokerConnected(true);
        LOG.info("cluster: redis broker at {} (prefix {}{})", RedisURI.create(config.redisUrl()).toString(),
                config.redisPrefix(), config.redisSharded() ? ", sharded pub/sub" : "");
    }

    @Override
    public void start(Fanout local) {
        this.local = local;
    }

    private byte[] key(String channel) {
        return (config.redisPrefix() + channel).getBytes(StandardCharsets.UTF_8);
    }

    private int connectionOf(String channel) {
        return Math.floorMod(channel.hashCode(), subConnections);
    }

    // ---- publishing ----

    @Override
    public CompletionStage<Void> publish(List<PublishItem> items) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        }
        List<CompletableFuture<Long>> sent = new ArrayList<>(items.size());
        for (PublishItem item : items) {
            byte[] payload = PublishItemJson.encode(item);
            sent.add(send(item, payload, payload));
        }
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).handle((v, e) -> {
            if (e != null) {
                metrics.brokerPublishFailed(items.size());
                throw new BrokerUnavailableException("Redis broker unavailable: " + rootMessage(e));
            }
            metrics.brokerPublished(items.size());
            return null;
        });
    }

    @Override
    public boolean collectsFeedback() {
        return true;
    }

    /** Each item with a feedback header; PUBLISH's answer says how many instances will answer. */
    @Override
    public CompletionStage<ClusterCounts> publishCounting(List<PublishItem> items, long waitMillis) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        }
        CompletableFuture<Void> ready = feedbackReady;
        if (ready == null) {
            synchronized (feedback) {
                if (feedbackReady == null) {
                    feedbackReady = subscribe(feedback.replyChannel).toCompletableFuture();
                }
                ready = feedbackReady;
            }
        }
        return ready.thenCompose(v -> {
            RedisFeedback.Pending p = feedback.open(items.size(), waitMillis,
                    client.getResources().eventExecutorGroup());
            List<CompletableFuture<Long>> sent = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                PublishItem item = items.get(i);
                byte[] plain = PublishItemJson.encode(item);
                sent.add(send(item, feedback.frame(p.token, i, plain), plain).whenComplete((n, e) -> {
                    if (n != null) {
                        p.expect(index, n);
                    }
                }));
            }
            return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).handle((x, e) -> {
                if (e != null) {
                    p.done.cancel(false);
                    metrics.brokerPublishFailed(items.size());
                    throw new BrokerUnavailableException("Redis broker unavailable: " + rootMessage(e));
                }
                metrics.brokerPublished(items.size());
                return p;
            }).thenCompose(x -> x.done);
        });
    }

    /** Publishes {@code message}; kept in the history too (as {@code plain}, without framing) when it is on. */
    private CompletableFuture<Long> send(PublishItem item, byte[] message, byte[] plain) {
        if (history != null && RedisHistory.keeps(item)) {
            return history.publish(item, key(item.channel()), message, plain);
        }
        return send(key(item.channel()), message);
    }

    @Override
    public KeptHistory keptHistory() {
        return history;
    }

    private CompletableFuture<Long> send(byte[] key, byte[] payload) {
        RedisFuture<Long> f = config.redisSharded() ? pub.async().spublish(key, payload)
                : pub.async().publish(key, payload);
        return f.toCompletableFuture();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    // ---- subscriptions (hub thread) ----

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        CompletableFuture<Void> inForce = new CompletableFuture<>();
        if (held.get(connectionOf(channel)).put(channel, inForce) == null) {
            metrics.brokerUpstreamChannels(1);
        }
        enqueue(new Op(true, channel));
        return inForce;
    }

    @Override
    public void unsubscribe(String channel) {
        if (held.get(connectionOf(channel)).remove(channel) != null) {
            metrics.brokerUpstreamChannels(-1);
        }
        enqueue(new Op(false, channel));
    }

    private void enqueue(Op op) {
        ops.add(op);
        if (flushScheduled.compareAndSet(false, true)) {
            client.getResources().eventExecutorGroup().execute(this::flush);
        }
    }

    /** Sends what was asked since the last flush: runs of the same request on one connection as one command. */
    private void flush() {
        flushScheduled.set(false);
        List<Op> run = new ArrayList<>();
        Op op;
        while ((op = ops.poll()) != null) {
            if (!run.isEmpty() && (run.get(0).subscribe != op.subscribe
                    || connectionOf(run.get(0).channel) != connectionOf(op.channel)
                    || isPattern(run.get(0).channel) != isPattern(op.channel))) {
                send(run);
                run = new ArrayList<>();
            }
            run.add(op);
        }
        if (!run.isEmpty()) {
            send(run);
        }
    }

    private void send(List<Op> run) {
        StatefulRedisPubSubConnection<byte[], byte[]> c = subs.get(connectionOf(run.get(0).channel));
        byte[][] keys = new byte[run.size()][];
        boolean pattern = isPattern(run.get(0).channel);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = pattern ? patterns.patternKey(run.get(i).channel) : key(run.get(i).channel);
        }
        RedisFuture<Void> f;
        if (pattern) {
            f = run.get(0).subscribe ? c.async().psubscribe(keys) : c.async().punsubscribe(keys);
        } else if (run.get(0).subscribe) {
            f = config.redisSharded() ? c.async().ssubscribe(keys) : c.async().subscribe(keys);
        } else {
            f = config.redisSharded() ? c.async().sunsubscribe(keys) : c.async().unsubscribe(keys);
        }
        Map<String, CompletableFuture<Void>> heldHere = held.get(connectionOf(run.get(0).channel));
        f.whenComplete((v, e) -> {
            if (e != null) {
                // not in force yet: the holds wait; a reconnect subscribes again to everything held
                LOG.warn("cluster: {} of {} channels failed: {}", run.get(0).subscribe ? "subscribe" : "unsubscribe",
                        keys.length, e.toString());
                return;
            }
            if (run.get(0).subscribe) {
                for (Op o : run) {
                    CompletableFuture<Void> inForce = heldHere.get(o.channel);
                    if (inForce != null) {
                        inForce.complete(null);
                    }
                }
            }
        });
    }

    private boolean isPattern(String channel) {
        return patterns != null && RedisPatterns.isPattern(channel);
    }

    /** After a reconnect: subscribe again to every channel held on that connection. */
    private void resubscribe(int index) {
        List<String> channels = new ArrayList<>(held.get(index).keySet());
        metrics.brokerReconnected();
        LOG.info("cluster: redis subscription connection {} reconnected; subscribing again to {} channels", index,
                channels.size());
        for (String ch : channels) {
            enqueue(new Op(true, ch));
        }
    }

    private final class Reconnects implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == pub) {
                metrics.brokerConnected(true);
            }
            for (int i = 0; i < subs.size(); i++) {
                if (subs.get(i) == connection) {
                    resubscribe(i);
                }
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (patterns != null && connection != pub) {
                patterns.disconnected();
            }
            if (connection == pub && !closed) {
                metrics.brokerConnected(false);
                LOG.warn("cluster: lost the redis connection; publishes are refused until it is back");
            }
        }

        @Override
        public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
            LOG.debug("cluster: redis connection error: {}", cause.toString());
        }
    }

    // ---- from Redis (Lettuce's threads) ----

    private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            received(channel, message);
        }

        @Override
        public void smessage(byte[] shardChannel, byte[] message) {
            received(shardChannel, message);
        }

        @Override
        public void message(byte[] pattern, byte[] channel, byte[] message) {
            if (patterns != null && patterns.takes(pattern, channel)) {
                received(channel, message);
            }
        }

        @Override
        public void subscribed(byte[] channel, long count) {
            if (patterns != null) {
                patterns.subscribed(channel);
            }
        }

        @Override
        public void unsubscribed(byte[] channel, long count) {
            if (patterns != null) {
                patterns.unsubscribed(channel);
            }
        }

        @Override
        public void psubscribed(byte[] pattern, long count) {
            if (patterns != null) {
                patterns.psubscribed(pattern);
            }
        }

        @Override
        public void punsubscribed(byte[] pattern, long count) {
            if (patterns != null) {
                patterns.punsubscribed(pattern);
            }
        }
    }

    private void received(byte[] channel, byte[] message) {
        Fanout f = local;
        if (f == null) {
            return;
        }
        try {
            if (feedbackReady != null && java.util.Arrays.equals(channel, feedbackKey)) {
                feedback.answer(message);
                return;
            }
            RedisFeedback.Asked asked = RedisFeedback.asked(message);
            if (asked == null) {
                PublishItem item = PublishItemJson.decode(message);
                metrics.brokerReceived(1);
                f.fanOut(List.of(item));
                return;
            }
            PublishItem item = PublishItemJson.decode(java.util.Arrays.copyOfRange(message, asked.bodyStart(),
                    message.length));
            metrics.brokerReceived(1);
            f.fanOutCounting(List.of(item), counts -> send(key(asked.replyChannel()), asked.answer(counts.get(0)))
                    .whenComplete((n, e) -> {
                        if (e != null) {
                            LOG.warn("cluster: delivery feedback not sent: {}", e.toString());
                        }
                    }));
        } catch (PublishFormatException | IllegalArgumentException e) {
            metrics.dropped(ServerMetrics.Drop.MALFORMED_INPUT, 1);
            LOG.warn("cluster: a message from redis could not be read: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            for (StatefulRedisPubSubConnection<byte[], byte[]> c : subs) {
                c.close();
            }
            pub.close();
        } finally {
            client.shutdown();
        }
    }
}
