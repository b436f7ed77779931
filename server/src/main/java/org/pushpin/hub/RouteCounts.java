package org.pushpin.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Live subscribers of one channel on one loop whose deliveries count under a route's own {@code message_rate} and
 * {@code message_hwm} (a route with an explicit {@code id}, as Pushpin keys its limiter), by route and mode. Made
 * only when such a subscriber comes: a channel held only through routes without an id has none. Written on the
 * loop, read by the hub's thread to size a fanout (a moment's value, like {@link LoopChannel#live()}).
 */
final class RouteCounts {
    private final ConcurrentHashMap<String, AtomicIntegerArray> byRoute = new ConcurrentHashMap<>(4);

    void add(String route, Subscriber.Mode mode, int delta) {
        byRoute.computeIfAbsent(route, r -> new AtomicIntegerArray(Subscriber.Mode.values().length))
                .addAndGet(mode.ordinal(), delta);
    }

    /** Live subscribers of {@code route} of the modes in {@code modes} (bits by mode ordinal). */
    static int live(AtomicIntegerArray counts, int modes) {
        int n = 0;
        for (int m = 0; m < counts.length(); m++) {
            if ((modes & (1 << m)) != 0) {
                n += Math.max(0, counts.get(m));
            }
        }
        return n;
    }

    /** Each route's counts (routes counted down to nothing included: they are few, one per route id). */
    Iterable<Map.Entry<String, AtomicIntegerArray>> entries() {
        return byRoute.entrySet();
    }
}
