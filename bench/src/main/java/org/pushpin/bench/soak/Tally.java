package org.pushpin.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.pushpin.bench.load.Log;

/** What the soak's clients saw, counted from every event loop. */
final class Tally {
    private static final int SAMPLES = 20;

    final LongAdder streamsOpened = new LongAdder();
    final LongAdder streamsHeld = new LongAdder();
    final LongAdder streamsChecked = new LongAdder();
    /** Held streams the server closed (no reason to during the soak). */
    final LongAdder streamsDropped = new LongAdder();
    final LongAdder pollsOpened = new LongAdder();
    final LongAdder pollsDropped = new LongAdder();
    /** Clients that never got held, or got a wrong answer, by reason. */
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final LongAdder required = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder pollMessages = new LongAdder();
    final LongAdder pollTimeouts = new LongAdder();
    final LongAdder pollLost = new LongAdder();
    final LongAdder pollOutOfOrder = new LongAdder();
    /** Fault requests: "kind outcome" → count. */
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    final LongAdder faultsUnexpected = new LongAdder();
    private final List<String> violations = new ArrayList<>();
    private final LongAdder violationCount = new LongAdder();

    void failed(String why) {
        failures.computeIfAbsent(why, k -> new LongAdder()).increment();
    }

    long failures() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> failureReasons() {
        Map<String, Long> m = new TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    void fault(FaultKind kind, FaultOutcome outcome) {
        faults.computeIfAbsent(kind.label + " " + outcome.label, k -> new LongAdder()).increment();
        if (!kind.accepts(outcome)) {
            faultsUnexpected.increment();
            violation("fault request %s: %s", kind.label, outcome.label);
        }
    }

    Map<String, Long> faults() {
        Map<String, Long> m = new TreeMap<>();
        faults.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    long faultsTotal() {
        return faults.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Records a broken rule; the first few are kept to print. */
    void violation(String fmt, Object... args) {
        violationCount.increment();
        synchronized (violations) {
            if (violations.size() < SAMPLES) {
                String v = String.format(Locale.ROOT, fmt, args);
                violations.add(v);
                Log.line("violation: %s", v); // with its time, to find it in the server's log
            }
        }
    }

    long violations() {
        return violationCount.sum();
    }

    List<String> violationSamples() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }
}
