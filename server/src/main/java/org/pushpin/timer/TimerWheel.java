package org.pushpin.timer;

import io.netty.util.concurrent.EventExecutor;

/**
 * API contract (implementation to come): a coarse timer wheel per event loop, so that keep-alives, hold timeouts and
 * lingers cost no scheduled-task object per connection. Entries are intrusive ({@link Timer} carries its own links);
 * schedule, reschedule and cancel are O(1). Only the loop's own thread may call it. The wheel ticks (one scheduled
 * task per loop) only while it holds entries.
 */
public final class TimerWheel {
    /** Tick length: the resolution of every timer. */
    public static final long TICK_MILLIS = 250;

    private TimerWheel() {
    }

    /** The wheel of {@code loop}, created on first use. */
    public static TimerWheel of(EventExecutor loop) {
        throw new UnsupportedOperationException("TODO");
    }

    /** (Re)schedules {@code timer} to fire after {@code delayMillis} (rounded up to the next tick). */
    public void schedule(Timer timer, long delayMillis) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Cancels {@code timer} if it is scheduled; a no-op otherwise. */
    public void cancel(Timer timer) {
        throw new UnsupportedOperationException("TODO");
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
}
