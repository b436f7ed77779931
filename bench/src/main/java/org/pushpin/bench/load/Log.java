package org.pushpin.bench.load;

import java.util.Locale;

/** Progress and figures go to stdout, one timestamped line each, so a run's log is its record. */
public final class Log {
    private Log() {
    }

    public static void line(String fmt, Object... args) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, fmt, args));
    }
}
