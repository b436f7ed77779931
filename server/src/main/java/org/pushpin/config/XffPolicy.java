package org.pushpin.config;

import java.util.List;

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

    /**
     * Parses the items of the comma list, e.g. {@code ["truncate:0", "append"]}. Like Pushpin, empty and unknown
     * items are ignored and a later {@code truncate} wins; unlike Pushpin (which silently stops there), a
     * {@code truncate:} without a non-negative number is an error.
     *
     * @throws IllegalArgumentException for a bad {@code truncate:N}
     */
    public static XffPolicy parse(List<String> items) {
        int truncate = -1;
        boolean append = false;
        for (String raw : items) {
            String item = raw.strip();
            if (item.startsWith("truncate:")) {
                String n = item.substring("truncate:".length()).strip();
                try {
                    truncate = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    truncate = -1;
                }
                if (truncate < 0) {
                    throw new IllegalArgumentException("invalid truncate count \"" + n + "\" in \"" + item + "\"");
                }
            } else if (item.equals("append")) {
                append = true;
            }
        }
        return truncate < 0 && !append ? NONE : new XffPolicy(truncate, append);
    }
}
