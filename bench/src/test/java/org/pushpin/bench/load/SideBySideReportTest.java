package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideBySideReportTest {
    @TempDir
    Path dir;

    @Test
    void tableComparesOursWithTheReferenceAgainstTheTargets() throws IOException {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, String.join("\n",
                "CURVE name=reference held=0 rss_kb=102400 plain_p50_ms=1.50",
                "RESULT name=reference held=100 rss_per_conn_b=40000 fanout_p99_ms=500 fanout_lost=0 "
                        + "deliveries_per_s_all=70000 plain_held_p50_ms=2.00",
                "RESULT name=ours held=100 rss_per_conn_b=3000 heap_per_conn_b=2100 fanout_p99_ms=120 "
                        + "fanout_lost=0 deliveries_per_s_all=400000 plain_held_p50_ms=1.00", ""));
        Results r = Results.read(file);
        assertThat(r.curves.get("reference")).containsExactly(new Results.Point(0, 100.0, 1.5));
        String table = SideBySideReport.table(r);
        assertThat(table)
                .contains("| ΔRSS per held connection (B) | 40000 | 3000 | 0.08 | ≤ 1/10 of ref | yes |")
                .contains("| live heap per held connection (B) | - | 2100 |  | ≤ 2 KiB | **no** |")
                .contains("| fanout to all rooms p99 (ms) | 500.0 | 120.0 | 0.24 | ≤ 1/5 of ref | **no** |")
                .contains("| deliveries/s, all rooms, no loss | 70000 | 400000 | 5.71 | ≥ 5× ref | yes |")
                .contains("| plain request, N held, p50 (ms) | 2.00 | 1.00 | 0.50 | ≤ ref | yes |")
                .contains("| deliveries/s, one room, no loss | - | - |  | ≥ 2× ref |  |");
    }

    @Test
    void webSocketResultsGetATableEachWithTheirN() throws IOException {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, String.join("\n",
                "RESULT name=reference-ws n=9000 held=9000 rss_per_conn_b=50000 fanout_p99_ms=1000 "
                        + "deliveries_per_s_all=20000 lost=0",
                "RESULT name=ours-ws n=9000 held=9000 rss_per_conn_b=4000 heap_per_conn_b=1900 fanout_p99_ms=150 "
                        + "deliveries_per_s_all=90000 lost=0", ""));
        Results r = Results.read(file);
        String ws = SideBySideReport.modeTables(r);
        assertThat(ws).contains("WebSocket passthrough").contains("N = 9,000")
                .doesNotContain("WebSocket-over-HTTP")
                .contains("| ΔRSS per held WebSocket (B) | 50000 | 4000 | 0.08 | ≤ 1/10 of ref | yes |")
                .contains("| live heap per held WebSocket (B) | - | 1900 |  | ≤ 2 KiB | yes |")
                .contains("| fanout to all rooms p99 (ms) | 1000.0 | 150.0 | 0.15 | ≤ 1/5 of ref | yes |")
                .contains("| deliveries/s, all rooms, no loss | 20000 | 90000 | 4.50 | ≥ 5× ref | **no** |");
        assertThat(SideBySideReport.table(r)).contains("| held connections | - | - |");
    }

    @Test
    void nchanGetsItsColumnAndOursOverNchanWhereItRan() throws IOException {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, String.join("\n",
                "RESULT name=reference held=100 rss_per_conn_b=40000 fanout_p99_ms=500",
                "RESULT name=ours held=100 rss_per_conn_b=3000 fanout_p99_ms=120",
                "RESULT name=nchan held=100 rss_per_conn_b=2000 fanout_p99_ms=60",
                "RESULT name=reference-poll n=500 held=500 repoll_p99_ms=8 deliveries_per_s_all=1000",
                "RESULT name=ours-poll n=500 held=500 repoll_p99_ms=4 deliveries_per_s_all=4000",
                "RESULT name=nchan-poll n=500 held=500 repoll_p99_ms=2 deliveries_per_s_all=2000", ""));
        Results r = Results.read(file);
        assertThat(SideBySideReport.table(r))
                .contains("| figure | reference 1.36 | ours | Nchan | ours / ref | ours / Nchan | target | met |")
                .contains("| ΔRSS per held connection (B) | 40000 | 3000 | 2000 | 0.08 | 1.50 | ≤ 1/10 of ref | yes |")
                .contains("| fanout to all rooms p99 (ms) | 500.0 | 120.0 | 60.0 | 0.24 | 2.00 | ≤ 1/5 of ref | **no** |");
        assertThat(SideBySideReport.modeTables(r)).contains("Held long-polls").contains("N = 500")
                .contains("| answer → re-poll at the origin, p99 (ms) | 8.0 | 4.0 | 2.0 | 0.50 | 2.00 |  |  |")
                .contains("| deliveries/s, all rooms, every client every message | 1000 | 4000 | 2000 | 4.00 | 2.00 |")
                .doesNotContain("WebSocket");
    }

    @Test
    void withoutNchanResultsTheTableKeepsTwoServers() throws IOException {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, "RESULT name=reference held=100\nRESULT name=ours held=100\n");
        assertThat(SideBySideReport.table(Results.read(file))).doesNotContain("Nchan")
                .startsWith("| figure | reference 1.36 | ours | ours / ref | target | met |");
    }

    @Test
    void appendsUnderItsHeadingBeforeTheNextSection() throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc,
                "# Benchmarks\n\n" + SideBySideReport.HEADING + "\n\nintro\n\n### old\n\n## Later\n\nx\n");
        SideBySideReport.append(doc, "### new\n\ntable\n");
        assertThat(Files.readString(doc)).isEqualTo("# Benchmarks\n\n" + SideBySideReport.HEADING
                + "\n\nintro\n\n### old\n\n### new\n\ntable\n\n## Later\n\nx\n");
    }
}
