package org.pushpin.hub;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one channel on one event loop. Touched only on that loop's thread, except {@link #live()},
 * which the hub's thread reads to size a fanout.
 *
 * <p>Cost per subscription: one slot of {@code subs} (4 bytes with compressed oops, growth ×1.5, shrunk when a
 * quarter full: ≈5–6 bytes on average, 16 at worst). Channels with more than {@value #INDEX_MIN} subscribers on a
 * loop add an identity hash index of int positions (load 0.375–0.75: 5.3–10.7 bytes per subscriber), so
 * unsubscribing stays O(1) for big channels; smaller ones are scanned. Per channel and loop: this object
 * (48 bytes), its array header (16) and the loop registry's map entry (~40).
 *
 * <p>Delivery walks the array in place, without a snapshot: an unsubscribe during delivery nulls the slot (the
 * array is compacted once the walk ends), a subscribe appends after the walk's end, so a subscriber that joined
 * during a delivery does not get that item.
 */
final class LoopChannel {
    private static final Logger LOG = LoggerFactory.getLogger(LoopChannel.class);
    static final int INDEX_MIN = 64;
    /** Every {@link Subscriber.Mode}, as bits. */
    static final int ALL_MODES = (1 << Subscriber.Mode.values().length) - 1;

    final String channel;
    final EventLoop loop;
    private Subscriber[] subs = new Subscriber[4];
    /** Used slots of {@code subs}, holes included. */
    private int end;
    private int holes;
    private int walking;
    /** Open addressing, linear probing: position + 1, 0 = empty; null while small. */
    private int[] index;
    private volatile int live;
    /** Removed from the loop's registry: a new subscribe creates a new instance. */
    boolean detached;
    /** A lingering (response hold) unsubscribe happened here: the channel lingers once it is empty. */
    boolean lingerRequested;
    /**
     * Live long-polls and WebSockets (the streams are the rest): a fanout counts only the subscribers its item has
     * a format for, as Pushpin's {@code receivers} does. Written on the loop, read by the hub: a moment's value.
     */
    private int liveResponse;
    private int liveWs;
    /** Subscribers whose deliveries count under a route's own limits ({@link Subscriber#statsRoute()}). */
    private RouteCounts routes;

    LoopChannel(String channel, EventLoop loop) {
        this.channel = channel;
        this.loop = loop;
    }

    /** Live subscribers of {@code mode}; any thread, a moment's value. */
    int live(Subscriber.Mode mode) {
        return switch (mode) {
            case RESPONSE -> liveResponse;
            case WS -> liveWs;
            case STREAM -> Math.max(0, live - liveResponse - liveWs);
        };
    }

    /** Live subscribers of the modes in {@code modes} (bits by {@link Subscriber.Mode#ordinal()}). */
    int live(int modes) {
        int n = 0;
        for (Subscriber.Mode m : Subscriber.Mode.values()) {
            if ((modes & (1 << m.ordinal())) != 0) {
                n += live(m);
            }
        }
        return n;
    }

    /** The per-route counts, or null while every subscriber here counts under the shared limits; any thread. */
    RouteCounts routes() {
        return routes;
    }

    /** Live subscribers; readable from any thread. */
    int live() {
        return live;
    }

    boolean walking() {
        return walking > 0;
    }

    /** Adds {@code s}; false if it already was here. */
    boolean add(Subscriber s) {
        if (find(s) >= 0) {
            return false;
        }
        if (end == subs.length) {
            subs = Arrays.copyOf(subs, subs.length + (subs.length >> 1) + 1);
        }
        subs[end] = s;
        end++;
        live = live + 1;
        count(s, 1);
        if (index != null) {
            if ((live + 1) * 4 > index.length * 3) {
                rebuildIndex();
            } else {
                indexPut(s, end - 1);
            }
        } else if (live > INDEX_MIN) {
            rebuildIndex();
        }
        return true;
    }

    /** Removes {@code s}; false if it was not here. */
    boolean remove(Subscriber s) {
        int pos = find(s);
        if (pos < 0) {
            return false;
        }
        if (index != null) {
            indexRemove(s);
        }
        live = live - 1;
        count(s, -1);
        if (walking > 0) {
            subs[pos] = null;
            holes++;
            return true;
        }
        int last = end - 1;
        if (pos != last) {
            Subscriber moved = subs[last];
            subs[pos] = moved;
            if (index != null) {
                index[slotOf(moved, last)] = pos + 1;
            }
        }
        subs[last] = null;
        end = last;
        shrink();
        return true;
    }

    private void count(Subscriber s, int delta) {
        switch (s.mode()) {
            case RESPONSE -> liveResponse += delta;
            case WS -> liveWs += delta;
            default -> { }
        }
        String route = s.statsRoute();
        if (!route.isEmpty()) {
            if (routes == null) {
                routes = new RouteCounts();
            }
            routes.add(route, s.mode(), delta);
        }
    }

    /**
     * Delivers to the subscribers present when the walk starts, at most {@code cap} of them; returns how many got
     * it. A subscriber that throws is logged and skipped.
     */
    int deliver(Published published, int cap) {
        return deliver(published, cap, null, ALL_MODES, null, null, null);
    }

    /**
     * As {@link #deliver(Published, int)}, only to the subscribers of the modes in {@code modes} and, when
     * {@code route} is not null, of that route's limits ({@code ""}: the shared ones); adding each receiver to
     * {@code byMode[its mode]} when not null, and what became of the item there to {@code outcomes} when not null
     * ({@link ItemTally#at}: only for a publisher that asked).
     */
    int deliver(Published published, int cap, int[] receiversByMode, int modes, String route) {
        return deliver(published, cap, receiversByMode, modes, route, null, null);
    }

    /**
     * As above, skipping the subscribers already in {@code once} and adding the others to it, when it is not null
     * (an item that reached this loop through several wildcard subscriptions goes to each connection once).
     */
    int deliver(Published published, int cap, int[] receiversByMode, int modes, String route, Set<Subscriber> once,
                int[] outcomes) {
        int delivered = 0;
        // Usually every subscriber here takes the item (one kind of hold, no per-route split, no overlapping
        // wildcard): then no subscriber is asked its mode or route.
        boolean sift = route != null || once != null || live(modes) != live;
        walking++;
        try {
            int n = end;
            for (int i = 0; i < n && delivered < cap; i++) {
                Subscriber s = subs[i];
                if (s == null || sift && ((modes & (1 << s.mode().ordinal())) == 0
                        || route != null && !route.equals(s.statsRoute()) || once != null && !once.add(s))) {
                    continue;
                }
                delivered++;
                if (receiversByMode != null) {
                    receiversByMode[s.mode().ordinal()]++;
                }
                DeliveryOutcome o;
                try {
                    o = s.offer(channel, published);
                } catch (Throwable e) {
                    LOG.warn("subscriber failed on channel {}", channel, e);
                    o = DeliveryOutcome.CLOSED;
                }
                if (outcomes != null) {
                    outcomes[ItemTally.at(s.mode(), o)]++;
                }
            }
        } finally {
            endWalk();
        }
        return delivered;
    }

    void forEach(Consumer<Subscriber> action) {
        walking++;
        try {
            int n = end;
            for (int i = 0; i < n; i++) {
                Subscriber s = subs[i];
                if (s != null) {
                    try {
                        action.accept(s);
                    } catch (Throwable e) {
                        LOG.warn("subscriber action failed on channel {}", channel, e);
                    }
                }
            }
        } finally {
            endWalk();
        }
    }

    private void endWalk() {
        if (--walking == 0 && holes > 0) {
            int w = 0;
            for (int r = 0; r < end; r++) {
                if (subs[r] != null) {
                    subs[w++] = subs[r];
                }
            }
            Arrays.fill(subs, w, end, null);
            end = w;
            holes = 0;
            if (index != null) {
                rebuildIndex();
            }
            shrink();
        }
    }

    private void shrink() {
        if (index != null && live < INDEX_MIN / 2) {
            index = null;
        }
        if (subs.length > 16 && end < subs.length / 4) {
            subs = Arrays.copyOf(subs, Math.max(4, end * 2));
        }
    }

    private int find(Subscriber s) {
        if (index == null) {
            for (int i = 0; i < end; i++) {
                if (subs[i] == s) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int i = home(s, mask); index[i] != 0; i = (i + 1) & mask) {
            if (subs[index[i] - 1] == s) {
                return index[i] - 1;
            }
        }
        return -1;
    }

    /** The index slot that holds {@code s} (which must be indexed at {@code pos}). */
    private int slotOf(Subscriber s, int pos) {
        int mask = index.length - 1;
        int i = home(s, mask);
        while (index[i] != pos + 1) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void indexPut(Subscriber s, int pos) {
        int mask = index.length - 1;
        int i = home(s, mask);
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = pos + 1;
    }

    /** Backward-shift deletion, so the table never holds tombstones. */
    private void indexRemove(Subscriber s) {
        int mask = index.length - 1;
        int i = home(s, mask);
        while (subs[index[i] - 1] != s) {
            i = (i + 1) & mask;
        }
        index[i] = 0;
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int k = home(subs[index[j] - 1], mask);
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                index[i] = index[j];
                index[j] = 0;
                i = j;
            }
        }
    }

    private void rebuildIndex() {
        int cap = INDEX_MIN * 2;
        while ((live + 1) * 4 > cap * 3) {
            cap <<= 1;
        }
        index = new int[cap];
        for (int i = 0; i < end; i++) {
            if (subs[i] != null) {
                indexPut(subs[i], i);
            }
        }
    }

    private static int home(Subscriber s, int mask) {
        int h = System.identityHashCode(s) * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
