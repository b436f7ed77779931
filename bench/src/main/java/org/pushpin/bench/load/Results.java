package org.pushpin.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results file of a side-by-side run read back: per server, its figures and its curve points. */
final class Results {
    /** One sample taken while connecting. */
    record Point(int held, double rssMb, double plainMs) {
    }

    final Map<String, Map<String, String>> figures = new LinkedHashMap<>();
    final Map<String, List<Point>> curves = new LinkedHashMap<>();

    static Results read(Path file) throws IOException {
        Results r = new Results();
        for (String line : Files.readAllLines(file)) {
            String[] words = line.trim().split(" ");
            Map<String, String> kv = new HashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) {
                    kv.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                }
            }
            String name = kv.get("name");
            if (name == null) {
                continue;
            }
            if (words[0].equals("RESULT")) {
                r.figures.put(name, kv);
            } else if (words[0].equals("CURVE")) {
                r.curves.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(
                        Integer.parseInt(kv.get("held")), Long.parseLong(kv.get("rss_kb")) / 1024.0,
                        Double.parseDouble(kv.get("plain_p50_ms"))));
            }
        }
        return r;
    }

    /** A figure of a server, or NaN where that server or figure is missing. */
    double get(String name, String key) {
        Map<String, String> m = figures.get(name);
        String v = m == null ? null : m.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }
}
