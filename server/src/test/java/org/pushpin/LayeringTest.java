package org.pushpin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arrows point down (docs/architecture.md): every reference from one package of the server to another goes to a
 * lower layer, so no package uses one that builds it, and no two packages use each other. Read from the sources,
 * so an import, a fully qualified name in code and a {@code {@link}} all count. A new package must be given its
 * layer here.
 */
class LayeringTest {
    /** Top to bottom; a package may use only packages of a higher number than its own. */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("cli", 0),
            Map.entry("app", 1),
            Map.entry("server", 2),
            Map.entry("ingest", 3),
            Map.entry("monitor", 3),
            Map.entry("hold", 3),
            Map.entry("sockjs", 3),
            Map.entry("proxy", 4),
            Map.entry("proxy.sig", 5),
            Map.entry("hub", 5),
            Map.entry("broker", 6),
            Map.entry("publish", 6),
            Map.entry("zhttp.client", 6),
            Map.entry("metrics", 7),
            Map.entry("timer", 7),
            Map.entry("transport", 7),
            Map.entry("routing", 7),
            Map.entry("grip", 8),
            Map.entry("message", 8),
            Map.entry("zhttp", 8),
            Map.entry("config", 9),
            Map.entry("qt", 9),
            Map.entry("tnet", 9));

    private static final Path SOURCES = Path.of("src/main/java/org/pushpin");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.pushpin\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void everyPackageHasALayer() throws IOException {
        assertThat(LAYERS.keySet()).containsAll(packages());
    }

    @Test
    void everyReferenceBetweenPackagesPointsDown() throws IOException {
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = packageOf(f);
                int fromLayer = LAYERS.getOrDefault(from, -1);
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = REFERENCE.matcher(line);
                    while (m.find()) {
                        String to = m.group(1);
                        if (to.equals(from)) {
                            continue;
                        }
                        Integer toLayer = LAYERS.get(to);
                        if (toLayer == null || toLayer <= fromLayer) {
                            upward.add(from + " -> " + to + " in " + SOURCES.relativize(f) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertThat(upward).as("references that do not point down").isEmpty();
    }

    @Test
    void noMainClassIsOverFiveHundredLines() throws IOException {
        List<String> big = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                long lines = Files.readAllLines(f, StandardCharsets.UTF_8).size();
                if (lines > 500) {
                    big.add(SOURCES.relativize(f) + ": " + lines);
                }
            }
        }
        assertThat(big).as("classes over ~500 lines").isEmpty();
    }

    private static TreeSet<String> packages() throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> out.add(packageOf(p)));
        }
        return out;
    }

    private static String packageOf(Path file) {
        return SOURCES.relativize(file.getParent()).toString().replace('/', '.');
    }
}
