package org.pushpin.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run. Each is printed when measured and kept for the results file, which holds one
 * {@code RESULT name=... key=value ...} line and one {@code CURVE name=... held=... rss_kb=... plain_p50_ms=...}
 * line per sample taken while connecting (read back by {@link SideBySideReport}).
 */
final class Figures {
    private final String name;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> curve = new ArrayList<>();

    Figures(String name) {
        this.name = name;
    }

    void put(String key, long value, String what) {
        put(key, Long.toString(value), what);
    }

    void put(String key, double value, String what) {
        put(key, String.format(Locale.ROOT, "%.2f", value), what);
    }

    /** A word without spaces, e.g. a comma-separated list. */
    void put(String key, String value, String what) {
        if (value.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(key + ": a value may not hold spaces: " + value);
        }
        values.put(key, value);
        Log.line("FIGURE %s %s = %s  (%s)", name, key, value, what);
    }

    /** One point of the curves vs N: the server's RSS and a plain request's median latency at {@code held}. */
    void curvePoint(int held, long rssKb, double plainP50Ms) {
        String line = String.format(Locale.ROOT, "CURVE name=%s held=%d rss_kb=%d plain_p50_ms=%.2f", name, held,
                rssKb, plainP50Ms);
        curve.add(line);
        Log.line("%s", line);
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("RESULT name=").append(name);
        values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        List<String> lines = new ArrayList<>(curve);
        lines.add(sb.toString());
        System.out.println(sb);
        if (file != null) {
            Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
