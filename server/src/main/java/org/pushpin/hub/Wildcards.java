package org.pushpin.hub;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The wildcard subscriptions held on this instance ({@code [handler] wildcard_channels}, docs/wildcard-channels.md):
 * channels whose name ends in {@code *}, each standing for every channel that starts with the rest of its name.
 * Such a subscription is registered in the hub like any channel, under its own name (the stats count it as a
 * subscription to its pattern); this small table only says, per published item, which of them its channel matches.
 * The hub consults it only when it is not empty, so exact-channel fanout pays one emptiness check and nothing else.
 *
 * <p>Hub thread only: patterns come and go with the hub's first/last-subscription events, which run there in the
 * order they happened, before any later publish is fanned out.
 *
 * <p>Cost of a match: one substring and one hash lookup per distinct prefix length among the patterns held (not per
 * pattern), for the lengths up to the channel's own.
 */
final class Wildcards {
    private static final ChannelIndex[] NONE = new ChannelIndex[0];

    /** Prefix (the pattern without its {@code *}) → the pattern, as the hub's channel map keys it. */
    private final Map<String, String> byPrefix = new HashMap<>();
    /** Distinct prefix lengths → how many patterns have each; {@link #lengths} is its key set, ascending. */
    private final TreeMap<Integer, Integer> lengthCounts = new TreeMap<>();
    private int[] lengths = new int[0];

    /** Whether {@code channel} names a wildcard subscription: it ends in {@code *}. */
    static boolean isPattern(String channel) {
        return !channel.isEmpty() && channel.charAt(channel.length() - 1) == '*';
    }

    /** The prefix a pattern stands for. */
    static String prefixOf(String pattern) {
        return pattern.substring(0, pattern.length() - 1);
    }

    boolean isEmpty() {
        return byPrefix.isEmpty();
    }

    /** {@code channel} got its first subscriber here; a no-op unless it is a pattern. */
    void added(String channel) {
        if (!isPattern(channel) || byPrefix.putIfAbsent(prefixOf(channel), channel) != null) {
            return;
        }
        lengthCounts.merge(channel.length() - 1, 1, Integer::sum);
        lengths = lengthCounts.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code channel} lost its last subscriber here; a no-op unless it is a pattern. */
    void removed(String channel) {
        if (!isPattern(channel) || byPrefix.remove(prefixOf(channel)) == null) {
            return;
        }
        lengthCounts.computeIfPresent(channel.length() - 1, (k, n) -> n == 1 ? null : n - 1);
        lengths = lengthCounts.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The patterns held here, for tests and the docs' examples. */
    Set<String> patterns() {
        return Set.copyOf(byPrefix.values());
    }

    /**
     * The channel indexes of the patterns that {@code channel} matches, other than {@code exact} (the index of
     * {@code channel} itself, or null: a publish to a pattern's own name reaches its subscribers once).
     */
    ChannelIndex[] matches(String channel, ChannelIndex exact, Map<String, ChannelIndex> channels) {
        ChannelIndex[] found = NONE;
        int n = 0;
        for (int len : lengths) {
            if (len > channel.length()) {
                break;
            }
            String pattern = byPrefix.get(channel.substring(0, len));
            if (pattern == null) {
                continue;
            }
            ChannelIndex ci = channels.get(pattern);
            if (ci == null || ci == exact) {
                continue;
            }
            if (n == found.length) {
                found = Arrays.copyOf(found, n + 2);
            }
            found[n++] = ci;
        }
        return n == found.length ? found : Arrays.copyOf(found, n);
    }

    /**
     * One item's record of whom it reached, per event loop, when it goes to several channel indexes (an exact
     * channel and patterns, or overlapping patterns): made on the hub thread, each loop's set then used on that
     * loop only (handed over with the delivery task). Nothing of it exists for an item that reaches one index.
     */
    static final class Once {
        private final Map<io.netty.channel.EventLoop, Set<Subscriber>> byLoop = new HashMap<>(4);

        Set<Subscriber> on(io.netty.channel.EventLoop loop) {
            return byLoop.computeIfAbsent(loop, l -> java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        }
    }
}
