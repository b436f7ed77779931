package org.pushpin.ingest;

import java.util.HashSet;
import java.util.Set;

/**
 * The query {@code POST /publish} takes (ours, not Pushpin's): {@code ?report=drops}
 * (docs/publishing.md#drop-reports) or {@code ?feedback=1[&feedback_timeout=MS]} (docs/delivery-feedback.md).
 * A parser only: what is asked, or why the query cannot be read. Plain Java.
 *
 * @param reportDrops  {@code report=drops}
 * @param feedbackWait {@code feedback=1}: the longest wait for the counts, in ms; 0 when feedback was not asked
 * @param error        why the query was refused (the 400's text), or null
 */
record PublishQuery(boolean reportDrops, long feedbackWait, String error) {
    static final long DEFAULT_WAIT_MS = 5_000;
    static final long MAX_WAIT_MS = 30_000;
    private static final String USAGE = "/publish takes ?" + ControlApi.REPORT_DROPS
            + " or ?feedback=1[&feedback_timeout=MS].";

    /** Whether {@code query} (after the {@code ?}) is meant for us; other queries stay part of the path (404). */
    static boolean ours(String query) {
        return query.startsWith("report=") || query.startsWith("feedback=")
                || query.startsWith("feedback_timeout=");
    }

    static PublishQuery parse(String query) {
        boolean drops = false;
        boolean feedback = false;
        String timeout = null;
        Set<String> seen = new HashSet<>();
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!seen.add(key)) {
                return refused("Query parameter '" + key + "' given twice.");
            }
            switch (key) {
                case "report" -> {
                    if (!"drops".equals(value)) {
                        return refused("Unknown report: only ?" + ControlApi.REPORT_DROPS + " is supported.");
                    }
                    drops = true;
                }
                case "feedback" -> {
                    if (!"1".equals(value) && !"true".equals(value)) {
                        return refused("feedback must be 1 (or true), not '" + value + "'.");
                    }
                    feedback = true;
                }
                case "feedback_timeout" -> timeout = value == null ? "" : value;
                default -> {
                    return refused("Unknown query parameter '" + key + "': " + USAGE);
                }
            }
        }
        if (drops && feedback) {
            return refused("?report=drops and ?feedback=1 cannot be asked together: " + USAGE);
        }
        if (timeout != null && !feedback) {
            return refused("feedback_timeout is only taken with feedback=1.");
        }
        long wait = DEFAULT_WAIT_MS;
        if (timeout != null) {
            wait = millis(timeout);
            if (wait < 0) {
                return refused("feedback_timeout must be a whole number of milliseconds from 1 to " + MAX_WAIT_MS
                        + ", not '" + timeout + "'.");
            }
        }
        return new PublishQuery(drops, feedback ? wait : 0, null);
    }

    /** 1..{@link #MAX_WAIT_MS}, else -1. */
    private static long millis(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v >= 1 && v <= MAX_WAIT_MS ? v : -1;
    }

    private static PublishQuery refused(String why) {
        return new PublishQuery(false, 0, why);
    }
}
