package org.pushpin.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The keys of a pushpin.conf that nothing here reads: a typo ({@code routesfiel}), a key of another version, or one
 * that a command-line option replaces ({@code http_port} under {@code --port}). Pushpin ignores them silently; we name
 * each one (file, line, key) at start-up and on SIGHUP so that a setting a person believes in is not quietly lost.
 * Keys of Pushpin's multi-process design are accepted without a word (docs/configuration.md#keys-accepted-and-ignored).
 */
final class UnusedKeys {
    /** Read before the settings exist (they decide the substitutions and the include). */
    private static final Set<String> READ_FIRST = Set.of("global/include", "global/libdir", "global/rundir",
            "runner/rundir");

    private UnusedKeys() {
    }

    /** One warning per key of {@code main} not in {@code asked} ({@code section/key} names), in file order. */
    static List<String> of(IniFile main, Set<String> asked) {
        if (main == null) {
            return List.of();
        }
        List<IniFile.Entry> unused = new ArrayList<>();
        for (IniFile.Entry e : main.entries()) {
            String name = e.section() + "/" + e.key();
            if (READ_FIRST.contains(name) || ConfigKeys.notApplicable(e.section(), e.key())
                    || asked.contains(name)) {
                continue;
            }
            unused.add(e);
        }
        unused.sort(Comparator.comparingInt(IniFile.Entry::line));
        List<String> out = new ArrayList<>(unused.size());
        for (IniFile.Entry e : unused) {
            out.add(e.where() + ": not used, ignored (unknown key or section, or replaced by a command-line option;"
                    + " docs/configuration.md lists the keys)");
        }
        return out;
    }
}
