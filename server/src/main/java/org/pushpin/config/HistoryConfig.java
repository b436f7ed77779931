package org.pushpin.config;

/**
 * Ours, beyond Pushpin: {@code [handler] history_size} and {@code history_ttl} (docs/history.md). With a size of 0
 * (the default) nothing is kept and every hold behaves as in Pushpin 1.36.
 *
 * @param size       items kept per channel for resume; 0 = off
 * @param ttlSeconds how long an item stays resumable, at least 1
 */
public record HistoryConfig(int size, int ttlSeconds) {
    /** The default: off. */
    public static final HistoryConfig OFF = new HistoryConfig(0, 300);

    public boolean on() {
        return size > 0;
    }

    /** As a SIGHUP change line shows it: {@code 100/300}. */
    @Override
    public String toString() {
        return size + "/" + ttlSeconds;
    }
}
