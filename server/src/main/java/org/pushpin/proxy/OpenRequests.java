package org.pushpin.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code [proxy] max_open_requests}, as Pushpin 1.36's proxy applies it: requests being forwarded to an origin (from
 * the request head until the response is complete or a GRIP hold takes the request over) plus open WebSockets, at
 * most that many at once. A request beyond it is not refused: it waits, unread, and is let in, oldest first, when
 * one ends. One counter for the whole server; nothing per connection (a waiting request costs one queue entry).
 *
 * <p>Threads: every event loop counts here. Letting in is one compare-and-set while nobody waits; the queue of
 * waiting requests is locked only when a request has to wait or when one ends while some wait.
 */
public final class OpenRequests {
    /** At most this many open; 0 or less: no limit, and nothing is counted. */
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    /** How many wait, readable without the lock (so an ending request locks only when someone waits). */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Guarded by {@code this}: what lets each waiting request in, oldest first. */
    private final ArrayDeque<Runnable> parked = new ArrayDeque<>();

    /** @param max {@code max_open_requests}; -1: no limit */
    public OpenRequests(int max) {
        this.max = max;
    }

    /** Whether there is a limit (else nothing is counted). */
    boolean limited() {
        return max > 0;
    }

    /** Counts a request in when there is room and nobody waits before it; false: it must {@link #park}. */
    boolean tryOpen() {
        if (max <= 0) {
            return true;
        }
        if (waiting.get() > 0) {
            return false;
        }
        return take();
    }

    /**
     * A request that found no room waits: {@code letIn} runs (on whichever thread made room, so it must hand over to
     * the request's own loop) once the request has been counted in. That may be at once.
     */
    void park(Runnable letIn) {
        synchronized (this) {
            parked.addLast(letIn);
            waiting.incrementAndGet();
        }
        letInWaiting();
    }

    /** Counts a request in whatever the count: one already taken that goes to the origin again (a GRIP retry). */
    void force() {
        if (max > 0) {
            open.incrementAndGet();
        }
    }

    /** A counted request ended: the longest-waiting one takes its place. */
    void closed() {
        if (max <= 0) {
            return;
        }
        open.decrementAndGet();
        // Either this sees the waiter, or the waiter (counted first, then checking) sees this decrement.
        if (waiting.get() > 0) {
            letInWaiting();
        }
    }

    /** Requests counted now (0 without a limit). */
    public int open() {
        return open.get();
    }

    /** Requests waiting for room now. */
    public int waiting() {
        return waiting.get();
    }

    private boolean take() {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void letInWaiting() {
        List<Runnable> go = null;
        synchronized (this) {
            while (!parked.isEmpty() && take()) {
                if (go == null) {
                    go = new ArrayList<>(1);
                }
                go.add(parked.pollFirst());
                waiting.decrementAndGet();
            }
        }
        if (go != null) {
            go.forEach(Runnable::run); // outside the lock: each only hands over to its loop
        }
    }
}
