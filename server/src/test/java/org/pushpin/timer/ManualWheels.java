package org.pushpin.timer;

import io.netty.util.concurrent.EventExecutor;
import java.util.function.LongSupplier;

/** For tests in other packages: a timer wheel on a clock the test drives, and a way to make it fire now. */
public final class ManualWheels {
    private ManualWheels() {
    }

    /** A wheel of {@code loop} (outside the per-thread registry) reading {@code clock} (nanoseconds). */
    public static TimerWheel create(EventExecutor loop, LongSupplier clock) {
        return TimerWheel.withClock(loop, clock);
    }

    /** Fires what is due on {@code wheel}'s clock now; call it on the wheel's loop. */
    public static void tick(TimerWheel wheel) {
        wheel.tick();
    }

    /** Timers scheduled on {@code wheel}; call it on the wheel's loop. */
    public static int size(TimerWheel wheel) {
        return wheel.size();
    }
}
