package org.pushpin.config;

/**
 * How {@code X-Forwarded-For} is rewritten ({@code x_forwarded_for} / {@code x_forwarded_for_trusted}):
 * first keep only the last {@code truncate} values (when {@code truncate >= 0}), then append the client address
 * when {@code append}. The empty policy leaves the header untouched.
 */
public record XffPolicy(int truncate, boolean append) {
    public static final XffPolicy NONE = new XffPolicy(-1, false);

    public boolean isNone() {
        return truncate < 0 && !append;
    }
}
