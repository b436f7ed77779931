package org.pushpin.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGHUP, as Pushpin uses it (re-read routes). The JDK has no public signal API; {@code sun.misc.Signal} lives in
 * the {@code jdk.unsupported} module, present on every JDK we run on. Where it is missing, HUP is simply not handled.
 */
final class Signals {
    private Signals() {
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
