package org.pushpin.broker;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.pushpin.config.HistoryConfig;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishItem;
import org.pushpin.message.PublishItemJson;

/**
 * The channel history in Redis (docs/history.md), for {@link RedisBroker} with {@code history_size}: each kept item
 * is appended to the stream {@code <prefix>hist:<channel>} (bounded with {@code MAXLEN ~ history_size}, the key
 * expiring {@code history_ttl} after the last write) by the same script that PUBLISHes it, so an item is either both
 * kept and published or neither. Each entry carries the item's id, its payload (what the broker publishes) and the
 * epoch: the value of {@code <prefix>hist-epoch}, set once; when Redis loses it (flushed, restarted without
 * persistence, evicted) a new one is set and older entries no longer count, so a resume id from before is a miss,
 * never a wrong replay. Lookups are one read script on the same connection: nothing blocks.
 */
final class RedisHistory implements KeptHistory {
    /** KEYS: stream, epoch; ARGV: channel key, message, id, data, maxlen, ttl ms, epoch candidate, command. */
    private static final String WRITE = """
            local e = redis.call('GET', KEYS[2])
            if not e then
              redis.call('SET', KEYS[2], ARGV[7])
              e = ARGV[7]
            end
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'id', ARGV[3], 'data', ARGV[4], 'e', e)
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            return redis.call(ARGV[8], ARGV[1], ARGV[2])
            """;
    /**
     * KEYS: stream, epoch; ARGV: id, ttl ms. Newest first back to the id (at most the bounded stream), no entry older
     * than the ttl nor of another epoch. Answers {'1', stream id, data, ...} oldest first, or {'0'} when not found.
     */
    private static final String READ = """
            local e = redis.call('GET', KEYS[2])
            if not e then return {'0'} end
            local t = redis.call('TIME')
            local min = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2])
            local entries = redis.call('XREVRANGE', KEYS[1], '+', tostring(min))
            local later = {}
            for _, entry in ipairs(entries) do
              local f = entry[2]
              local id, data, ep
              for i = 1, #f, 2 do
                if f[i] == 'id' then id = f[i + 1] elseif f[i] == 'data' then data = f[i + 1]
                elseif f[i] == 'e' then ep = f[i + 1] end
              end
              if ep ~= e then return {'0'} end
              if id == ARGV[1] then
                local out = {'1'}
                for i = #later, 1, -1 do
                  out[#out + 1] = later[i][1]
                  out[#out + 1] = later[i][2]
                end
                return out
              end
              later[#later + 1] = {entry[1], data}
            end
            return {'0'}
            """;

    private final StatefulRedisConnection<byte[], byte[]> redis;
    private final String prefix;
    private final byte[] epochKey;
    private final byte[] maxLen;
    private final byte[] ttlMillis;
    private final byte[] publishCommand;
    private final String writeSha = sha1(WRITE);
    private final String readSha = sha1(READ);
    /** A fresh value for the epoch each time Redis may need one: this instance's random part and a counter. */
    private final String epochBase;
    private final AtomicLong epochCount = new AtomicLong();

    /** Sets the epoch when Redis has none (the constructor runs where the broker connects: it may wait). */
    RedisHistory(StatefulRedisConnection<byte[], byte[]> redis, String prefix, HistoryConfig config,
                 boolean sharded) {
        this.redis = redis;
        this.prefix = prefix + "hist:";
        this.epochKey = bytes(prefix + "hist-epoch"); // apart from every stream key, whatever the channel name
        this.maxLen = bytes(Integer.toString(config.size()));
        this.ttlMillis = bytes(Long.toString(config.ttlSeconds() * 1000L));
        this.publishCommand = bytes(sharded ? "SPUBLISH" : "PUBLISH");
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.epochBase = HexFormat.of().formatHex(random) + ":";
        redis.sync().setnx(epochKey, nextEpoch());
    }

    /**
     * Only items with an id can be resumed after, and a close is never replayed (as in the in-JVM history: it would
     * end the very connection that came back to resume).
     */
    static boolean keeps(PublishItem item) {
        return item.id() != null && !item.closes();
    }

    /**
     * Keeps {@code item} (whose payload as kept is {@code data}) and publishes {@code message} on
     * {@code channelKey}, in one script; completes with the number of subscribers the publish reached.
     */
    CompletableFuture<Long> publish(PublishItem item, byte[] channelKey, byte[] message, byte[] data) {
        byte[][] keys = {streamKey(item.channel()), epochKey};
        byte[][] args = {channelKey, message, bytes(item.id()), data, maxLen, ttlMillis, nextEpoch(), publishCommand};
        return run(WRITE, writeSha, ScriptOutputType.INTEGER, keys, args);
    }

    @Override
    public CompletionStage<List<Kept>> after(String channel, String id) {
        byte[][] keys = {streamKey(channel), epochKey};
        byte[][] args = {bytes(id), ttlMillis};
        CompletableFuture<List<Object>> read = run(READ, readSha, ScriptOutputType.MULTI, keys, args);
        return read.thenApply(RedisHistory::kept);
    }

    private static List<Kept> kept(List<Object> answer) {
        if (answer.isEmpty() || !"1".equals(text(answer.get(0)))) {
            return null;
        }
        List<Kept> items = new ArrayList<>((answer.size() - 1) / 2);
        for (int i = 1; i + 1 < answer.size(); i += 2) {
            String streamId = text(answer.get(i));
            int dash = streamId.indexOf('-');
            try {
                PublishItem item = PublishItemJson.decode((byte[]) answer.get(i + 1));
                items.add(new Kept(Long.parseLong(streamId.substring(0, dash)),
                        Long.parseLong(streamId.substring(dash + 1)), item));
            } catch (PublishFormatException | RuntimeException e) {
                // an entry this version cannot read is left out, as a malformed message from Redis would be
            }
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> run(String script, String sha, ScriptOutputType type, byte[][] keys,
                                         byte[][] args) {
        CompletableFuture<T> first = (CompletableFuture<T>) redis.async().evalsha(sha, type, keys, args)
                .toCompletableFuture();
        return first.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException) {
                // Redis does not have it (first use, restart, SCRIPT FLUSH): the text loads it for the next time
                return (CompletableFuture<T>) redis.async().eval(script, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private byte[] streamKey(String channel) {
        return bytes(prefix + channel);
    }

    private byte[] nextEpoch() {
        return bytes(epochBase + epochCount.incrementAndGet());
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(script)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
