package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/config-reference.md is generated from {@link ConfigKeys}, the code's own list of keys: this test fails when
 * the page and the code disagree, and rewrites the page when run with {@code -Dpushpin.docs.write=true}:
 * {@code mvn -o -q -pl server test -Dtest=ConfigReferenceTest -Dpushpin.docs.write=true}.
 */
class ConfigReferenceTest {
    private static Path docs() {
        Path p = Path.of("docs");
        return Files.isDirectory(p) ? p : Path.of("../docs");
    }

    @Test
    void theReferencePageIsWhatTheCodeReads() throws IOException {
        String page = render(ConfigKeys.all());
        Path file = docs().resolve("config-reference.md");
        if (Boolean.getBoolean("pushpin.docs.write")) {
            Files.writeString(file, page);
        }
        assertThat(Files.exists(file) ? Files.readString(file) : "")
                .as("docs/config-reference.md is stale: regenerate it with "
                        + "mvn -o -q -pl server test -Dtest=ConfigReferenceTest -Dpushpin.docs.write=true")
                .isEqualTo(page);
    }

    @Test
    void everyKeyTheCodeReadsIsDescribedInTheConfigurationPage() throws IOException {
        String text = Files.readString(docs().resolve("configuration.md"));
        List<String> missing = new ArrayList<>();
        for (ConfigKeys.Entry e : ConfigKeys.all()) {
            if (e.status() != ConfigKeys.Status.NOT_APPLICABLE && !text.contains(e.key())) {
                missing.add(e.section() + "." + e.key());
            }
        }
        assertThat(missing).as("keys read but not described in docs/configuration.md").isEmpty();
    }

    @Test
    void knownKeysAreListedWithTheirCodeDefaults() {
        Map<String, ConfigKeys.Entry> byId = new LinkedHashMap<>();
        ConfigKeys.all().forEach(e -> byId.put(e.section() + "." + e.key(), e));
        assertThat(byId.get("runner.client_maxconn").def()).isEqualTo("50000");
        assertThat(byId.get("runner.client_maxconn").type()).isEqualTo("integer");
        assertThat(byId.get("handler.push_in_http_port").type()).isEqualTo("port");
        assertThat(byId.get("handler.stats_spec").status()).isEqualTo(ConfigKeys.Status.WARNED);
        assertThat(byId.get("runner.condure_bin").status()).isEqualTo(ConfigKeys.Status.NOT_APPLICABLE);
    }

    static String render(List<ConfigKeys.Entry> entries) {
        Map<String, List<ConfigKeys.Entry>> bySection = new LinkedHashMap<>();
        for (ConfigKeys.Entry e : entries) {
            bySection.computeIfAbsent(e.section(), s -> new ArrayList<>()).add(e);
        }
        StringBuilder out = new StringBuilder();
        out.append("# pushpin.conf reference\n\n")
                .append("Every key of `pushpin.conf` this server knows, with the default it uses when the key is "
                        + "missing and what it does\nwith it. **Generated** from the code's own list of keys "
                        + "(`server/src/main/java/org/pushpin/config/ConfigKeys.java`,\nwhich reads an empty file "
                        + "and notes each key read) by `ConfigReferenceTest`: do not edit by hand. What each key\n"
                        + "means is in [configuration.md](configuration.md).\n\n")
                .append("Status: **applied**; **warned**: applied in part, the rest named in a start-up warning; "
                        + "**not applicable**:\na key of Pushpin's multi-process design, accepted and never read "
                        + "(one process does that work here).\nA default shown empty means off or none.\n");
        for (Map.Entry<String, List<ConfigKeys.Entry>> s : bySection.entrySet()) {
            out.append(s.getKey().contains(" ") ? "\n## In any section\n\n" : "\n## [" + s.getKey() + "]\n\n")
                    .append("| key | type | default | status |\n|---|---|---|---|\n");
            for (ConfigKeys.Entry e : s.getValue()) {
                String status = switch (e.status()) {
                    case APPLIED -> "applied";
                    case WARNED -> "warned: " + e.note();
                    case NOT_APPLICABLE -> "not applicable";
                };
                out.append("| `").append(e.key()).append("` | ").append(e.type()).append(" | ")
                        .append(e.def().isEmpty() ? "" : "`" + e.def().replace("|", "\\|") + "`").append(" | ")
                        .append(status).append(" |\n");
            }
        }
        return out.toString();
    }
}
