package org.pushpin.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code log_level} / {@code --loglevel}: a comma list of {@code N} (the default level) and {@code name:N} (a
 * service's level; Pushpin's names are runner, condure, zurl, pushpin-proxy and pushpin-handler, applied by
 * {@code cli.LogServices}). 0 error, 1 warning, 2 info, 3 debug. Same rules and
 * messages as Pushpin's parseLogLevel.
 */
public final class LogLevels {
    /** Pushpin's level when none is given: info. */
    public static final int DEFAULT_LEVEL = 2;

    private LogLevels() {
    }

    /**
     * @param spec e.g. {@code "2"} or {@code "3,proxy:2"}
     * @return service name → level, the default level under the key {@code ""}
     * @throws IllegalArgumentException with Pushpin's message for an empty component or a bad number
     */
    public static Map<String, Integer> parse(String spec) {
        return parse(List.of(spec.split(",", -1)));
    }

    static Map<String, Integer> parse(List<String> parts) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (String raw : parts) {
            String part = raw.strip();
            if (part.isEmpty()) {
                throw new IllegalArgumentException("log level component cannot be empty");
            }
            int at = part.indexOf(':');
            if (at == 0) {
                throw new IllegalArgumentException("log level component name cannot be empty");
            }
            if (at > 0) {
                String name = part.substring(0, at);
                levels.put(name, level(part.substring(at + 1),
                        "log level for service " + name + " must be greater than or equal to 0"));
            } else {
                levels.put("", level(part, "log level must be greater than or equal to 0"));
            }
        }
        return levels;
    }

    /** The level for everything without its own entry: the bare {@code N}, else {@link #DEFAULT_LEVEL}. */
    public static int defaultLevel(Map<String, Integer> levels) {
        return levels.getOrDefault("", DEFAULT_LEVEL);
    }

    private static int level(String s, String message) {
        try {
            int x = Integer.parseInt(s.strip());
            if (x >= 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through to Pushpin's message
        }
        throw new IllegalArgumentException(message + ": \"" + s + "\"");
    }
}
