package org.pushpin.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition instead of sleeping a fixed time. */
public final class Await {
    private Await() {
    }

    public static void until(Duration limit, Callable<Boolean> condition, Supplier<String> message) {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError err = new AssertionError("after " + limit + ": " + message.get());
                if (last != null) {
                    err.initCause(last);
                }
                throw err;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static void until(Duration limit, Callable<Boolean> condition, String message) {
        until(limit, condition, () -> message);
    }
}
