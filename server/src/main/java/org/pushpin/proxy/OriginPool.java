package org.pushpin.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive origin connections of one event loop. Each loop has its own pool (a thread local), so a client
 * request and its origin connection always live on the same thread and nothing here needs a lock.
 * The loops of in-JVM listeners have their own pools too, so a pool never mixes local and socket connections.
 * Idle connections read (auto-read on) so that an origin closing one is noticed and it leaves the pool at once.
 */
final class OriginPool {
    /** Idle connections kept per origin and loop; more are closed. */
    static final int MAX_IDLE_PER_ORIGIN = 64;

    private static final FastThreadLocal<OriginPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected OriginPool initialValue() {
            return new OriginPool();
        }
    };

    private final Map<OriginKey, ArrayDeque<Channel>> idle = new HashMap<>();

    /** The pool of the calling event loop thread. */
    static OriginPool current() {
        return POOLS.get();
    }

    /** An open idle connection to {@code key}, or null. */
    Channel lease(OriginKey key) {
        ArrayDeque<Channel> channels = idle.get(key);
        if (channels == null) {
            return null;
        }
        Channel ch;
        while ((ch = channels.pollLast()) != null) {
            if (ch.isActive()) {
                ch.config().setAutoRead(false);
                return ch;
            }
        }
        return null;
    }

    /** Returns a connection whose last exchange ended cleanly; it must be on this pool's loop. */
    void release(OriginKey key, Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_ORIGIN) {
            ch.close();
            return;
        }
        channels.addLast(ch);
        ch.config().setAutoRead(true);
    }

    /** Called by the idle connection's handler when the origin closed it. */
    void remove(OriginKey key, Channel ch) {
        ArrayDeque<Channel> channels = idle.get(key);
        if (channels != null) {
            channels.remove(ch);
        }
    }
}
