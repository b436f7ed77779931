package org.pushpin.broker;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wildcard subscriptions through Redis ({@code [handler] wildcard_channels} with {@code [cluster] broker=redis},
 * docs/wildcard-channels.md). A hub channel whose name ends in {@code *} becomes a PSUBSCRIBE to the Redis key
 * prefix plus the channel's prefix, glob-escaped ({@code * ? [ ] \} each get a backslash), plus {@code *}.
 *
 * <p>One PUBLISH reaches a Redis connection once per subscription of it that matches: a plain {@code message} when
 * the exact channel is SUBSCRIBEd, one {@code pmessage} per matching pattern. The hub must see each item once, so
 * only one copy is let through: the plain one when there is one, else the pmessage of the matching pattern that
 * sorts first. That choice is sound only when it is made against the subscriptions Redis had when it sent the
 * copies: so with wildcards every subscription is on one connection (Redis sends one PUBLISH's copies together,
 * in order with the acknowledgements of (P)(UN)SUBSCRIBE), and the state here is kept from those acknowledgements,
 * on that connection's thread, never from what was asked.
 */
final class RedisPatterns {
    private final String redisPrefix;
    /** Exact channel keys Redis acknowledged as subscribed on the connection. */
    private final Set<String> exact = ConcurrentHashMap.newKeySet();
    /** Acknowledged pattern keys → the literal key prefix each stands for. */
    private final Map<String, String> patterns = new ConcurrentHashMap<>();

    RedisPatterns(String redisPrefix) {
        this.redisPrefix = redisPrefix;
    }

    /** Whether the hub channel {@code channel} is a wildcard subscription (it ends in {@code *}). */
    static boolean isPattern(String channel) {
        return !channel.isEmpty() && channel.charAt(channel.length() - 1) == '*';
    }

    /** The PSUBSCRIBE pattern for the hub's wildcard channel {@code channel}. */
    byte[] patternKey(String channel) {
        return (escape(redisPrefix + channel.substring(0, channel.length() - 1)) + "*")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code literal} with Redis glob's special characters escaped. */
    static String escape(String literal) {
        StringBuilder sb = new StringBuilder(literal.length() + 4);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The literal prefix a pattern key of ours stands for (the inverse of the escaping, less the final *). */
    static String unescapePrefix(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length() - 1; i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() - 1) {
                c = pattern.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ---- acknowledgements, on the connection's thread, in Redis's order ----

    void subscribed(byte[] key) {
        exact.add(new String(key, StandardCharsets.UTF_8));
    }

    void unsubscribed(byte[] key) {
        exact.remove(new String(key, StandardCharsets.UTF_8));
    }

    void psubscribed(byte[] pattern) {
        String p = new String(pattern, StandardCharsets.UTF_8);
        patterns.put(p, unescapePrefix(p));
    }

    void punsubscribed(byte[] pattern) {
        patterns.remove(new String(pattern, StandardCharsets.UTF_8));
    }

    /** The connection dropped: Redis forgot its subscriptions (they are made again on reconnect). */
    void disconnected() {
        exact.clear();
        patterns.clear();
    }

    /**
     * Whether the {@code pmessage} of {@code pattern} for {@code channelKey} is the copy to fan out: the channel is
     * not SUBSCRIBEd exactly (its plain copy came, or comes, instead) and no other matching pattern sorts first.
     * Cost: one look-up plus a pass over the patterns held.
     */
    boolean takes(byte[] pattern, byte[] channelKey) {
        String channel = new String(channelKey, StandardCharsets.UTF_8);
        if (exact.contains(channel)) {
            return false;
        }
        String mine = new String(pattern, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : patterns.entrySet()) {
            if (e.getKey().compareTo(mine) < 0 && channel.startsWith(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
