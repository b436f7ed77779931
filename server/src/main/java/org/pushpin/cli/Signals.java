package org.pushpin.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGHUP, as Pushpin uses it (reopen the logs, re-read the routes; we also re-read pushpin.conf), and SIGTERM. The
 * JDK has no public signal API; {@code sun.misc.Signal} lives in the {@code jdk.unsupported} module, present on
 * every JDK we run on. Where it is missing, HUP is simply not handled.
 */
final class Signals {
    private Signals() {
    }

    /**
     * SIGTERM: {@code first} on the first one (it returns at once; the stop runs on a thread of its own), then
     * {@code again} on any later one. Returns false where the signal cannot be handled (the JVM's default stop then
     * applies).
     */
    @SuppressWarnings("removal")
    static boolean onTerminate(Runnable first, Runnable again) {
        try {
            java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> {
                if (seen.compareAndSet(false, true)) {
                    Thread t = new Thread(first, "pushpin-drain");
                    t.start();
                } else {
                    again.run();
                }
            });
            return true;
        } catch (Throwable e) {
            LoggerFactory.getLogger("pushpin").debug("SIGTERM not handled: {}", e.toString());
            return false;
        }
    }

    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> action.run());
        } catch (Throwable e) {
            LoggerFactory.getLogger("pushpin").debug("SIGHUP not handled: {}", e.toString());
        }
    }
}
