package org.pushpin.timer;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coarse timer wheel per event loop, so that keep-alives, hold timeouts and lingers cost no scheduled-task object
 * per connection. Entries are intrusive ({@link Timer} carries its own links); schedule, reschedule and cancel are
 * O(1) and allocate nothing. Only the loop's own thread may call it. The wheel ticks (one scheduled task per loop)
 * only while it holds entries.
 *
 * <p>Layout: {@value #SLOTS} slots of {@link #TICK_MILLIS} ms (one turn = 256 s). Each slot is a doubly linked
 * list threaded through the timers themselves; a timer remembers its absolute deadline tick, so a delay longer than
 * one turn simply stays in its slot until the turn in which it is due (the deadline is the rounds count). Cost: a
 * {@code Timer} carries 2 references and a long (16 bytes with compressed oops) and nothing else; the wheel itself
 * is ~4 KiB per loop. A timer belongs to at most one wheel at a time.
 */
public final class TimerWheel {
    /** Tick length: the resolution of every timer. */
    public static final long TICK_MILLIS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(TimerWheel.class);
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    /** {@code prev} of the first timer of a slot: marks "scheduled" and says which list head to update. */
    private static final Timer SLOT_HEAD = new Marker();
    /** {@code prev} of the first timer of the list being fired. */
    private static final Timer FIRING_HEAD = new Marker();
    /** The wheels of the current thread (normally one; embedded loops may share a thread). */
    private static final FastThreadLocal<TimerWheel> WHEELS = new FastThreadLocal<>();

    private final EventExecutor loop;
    private final Timer[] slots = new Timer[SLOTS];
    private final LongSupplier clock;
    private final long originNanos;
    private final Runnable tickTask = this::tick;
    private TimerWheel nextOnThread;
    /** The last tick whose slot was processed: every timer due at or before it has fired. */
    private long processedTick;
    /** Scheduled timers, the ones being fired included. */
    private int size;
    private boolean tickScheduled;
    private Timer firing;
    private Timer firingTail;

    private TimerWheel(EventExecutor loop, LongSupplier clock) {
        this.loop = loop;
        this.clock = clock;
        this.originNanos = clock.getAsLong();
    }

    /** A wheel outside the per-thread registry with its own clock (nanoseconds), for tests that drive time. */
    static TimerWheel withClock(EventExecutor loop, LongSupplier clock) {
        return new TimerWheel(loop, clock);
    }

    /** The wheel of {@code loop}, created on first use. Call it on {@code loop}'s thread. */
    public static TimerWheel of(EventExecutor loop) {
        Objects.requireNonNull(loop, "loop");
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("TimerWheel.of must be called on the loop's own thread");
        }
        TimerWheel first = WHEELS.get();
        for (TimerWheel w = first; w != null; w = w.nextOnThread) {
            if (w.loop == loop) {
                return w;
            }
        }
        TimerWheel w = new TimerWheel(loop, System::nanoTime);
        w.nextOnThread = first;
        WHEELS.set(w);
        return w;
    }

    /** (Re)schedules {@code timer} to fire after {@code delayMillis} (rounded up to the next tick). */
    public void schedule(Timer timer, long delayMillis) {
        Objects.requireNonNull(timer, "timer");
        checkThread();
        if (timer.isScheduled()) {
            unlink(timer);
            size--;
        }
        long now = nowNanos();
        if (size == 0 && !tickScheduled) {
            processedTick = now / TICK_NANOS; // idle wheel: nothing to catch up on
        }
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        long deadline = ceilDiv(now + delayNanos, TICK_NANOS);
        if (deadline <= processedTick) {
            deadline = processedTick + 1;
        }
        timer.deadlineTick = deadline;
        int slot = (int) (deadline & MASK);
        Timer head = slots[slot];
        timer.prev = SLOT_HEAD;
        timer.next = head;
        if (head != null) {
            head.prev = timer;
        }
        slots[slot] = timer;
        size++;
        if (!tickScheduled) {
            scheduleTick(now);
        }
    }

    /** Cancels {@code timer} if it is scheduled; a no-op otherwise. */
    public void cancel(Timer timer) {
        Objects.requireNonNull(timer, "timer");
        checkThread();
        if (timer.isScheduled()) {
            unlink(timer);
            size--;
        }
    }

    /** Scheduled timers (for tests and stats). */
    int size() {
        return size;
    }

    /** Whether the tick task is scheduled (for tests). */
    boolean ticking() {
        return tickScheduled;
    }

    /** Fires what is due now; runs from the tick task (and from tests that drive the clock). */
    void tick() {
        tickScheduled = false;
        long now = nowNanos();
        long target = now / TICK_NANOS;
        if (target > processedTick) {
            long turns = Math.min(target - processedTick, SLOTS);
            for (long k = 1; k <= turns; k++) {
                int slot = (int) ((processedTick + k) & MASK);
                Timer t = slots[slot];
                while (t != null) {
                    Timer next = t.next;
                    if (t.deadlineTick <= target) {
                        unlink(t);
                        appendFiring(t);
                    }
                    t = next;
                }
            }
            processedTick = target;
            // Fire one by one from the list, so that a callback may cancel or reschedule any other timer.
            while (firing != null) {
                Timer t = firing;
                unlink(t);
                size--;
                try {
                    t.onTimeout();
                } catch (Throwable e) {
                    LOG.warn("timer callback failed", e);
                }
            }
        }
        if (size > 0 && !tickScheduled) {
            scheduleTick(nowNanos());
        }
    }

    private void scheduleTick(long now) {
        tickScheduled = true;
        long delay = (now / TICK_NANOS + 1) * TICK_NANOS - now;
        loop.schedule(tickTask, delay, TimeUnit.NANOSECONDS);
    }

    private void appendFiring(Timer t) {
        if (firingTail == null) {
            t.prev = FIRING_HEAD;
            firing = t;
        } else {
            t.prev = firingTail;
            firingTail.next = t;
        }
        t.next = null;
        firingTail = t;
    }

    private void unlink(Timer t) {
        Timer p = t.prev;
        Timer n = t.next;
        if (p == SLOT_HEAD) {
            slots[(int) (t.deadlineTick & MASK)] = n;
        } else if (p == FIRING_HEAD) {
            firing = n;
        } else {
            p.next = n;
        }
        if (n != null) {
            n.prev = p;
        } else if (t == firingTail) {
            firingTail = p == FIRING_HEAD ? null : p;
        }
        t.prev = null;
        t.next = null;
    }

    private long nowNanos() {
        return clock.getAsLong() - originNanos;
    }

    private void checkThread() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("TimerWheel used outside its loop's thread");
        }
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    /** Something to run later; subclass it (the links live in the object, so scheduling allocates nothing). */
    public abstract static class Timer {
        Timer prev;
        Timer next;
        long deadlineTick;

        /** Runs on the wheel's loop when the time has come; the timer is no longer scheduled then. */
        protected abstract void onTimeout();

        public final boolean isScheduled() {
            return prev != null || next != null;
        }
    }

    private static final class Marker extends Timer {
        @Override
        protected void onTimeout() {
        }
    }
}
