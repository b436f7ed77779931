package org.pushpin.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleBinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Turns the results file of {@code scripts/bench-side-by-side.sh} into markdown tables (reference, ours, Nchan where
 * it ran, ratios, the target for ours and whether it is met), printed and appended under {@value #HEADING}
 * in the benchmarks page, and the plot of the curves. Run headless ({@code -Djava.awt.headless=true}).
 */
@Command(name = "side-by-side-report", mixinStandardHelpOptions = true)
public final class SideBySideReport implements Callable<Integer> {
    static final String HEADING = "## Side by side with the reference";
    private static final String REF = "reference";
    private static final String OURS = "ours";
    /** nginx with Nchan, the third server; its columns appear only where it ran. */
    private static final String NCHAN = "nchan";

    /** A target on ours given the reference's figure; {@code met} answers 1 (met) or 0 (not met). */
    record Target(String text, DoubleBinaryOperator met) {
        static final Target NONE = new Target("", null);

        static Target atMostTimesRef(double k, String text) {
            return new Target(text, (ref, ours) -> ours <= k * ref ? 1 : 0);
        }

        static Target atLeastTimesRef(double k, String text) {
            return new Target(text, (ref, ours) -> ours >= k * ref ? 1 : 0);
        }

        static Target atMost(double limit, String text) {
            return new Target(text, (ref, ours) -> ours <= limit ? 1 : 0);
        }
    }

    record Row(String label, String key, String format, Target target) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("machine load average (1 min) at the start", "load_avg_1m", "%.2f", Target.NONE),
            new Row("held connections", "held", "%.0f", Target.NONE),
            new Row("connect time (s)", "connect_s", "%.1f", Target.NONE),
            new Row("accepted + held connections/s", "held_per_s", "%.0f",
                    Target.atLeastTimesRef(2, "≥ 2× ref")),
            new Row("RSS before → after (MB)", "rss_after_kb", "%s", Target.NONE),
            new Row("ΔRSS per held connection (B)", "rss_per_conn_b", "%.0f",
                    Target.atMostTimesRef(0.1, "≤ 1/10 of ref")),
            new Row("live heap per held connection (B)", "heap_per_conn_b", "%.0f",
                    Target.atMost(2048, "≤ 2 KiB")),
            new Row("idle CPU with N held (% of a core)", "idle_cpu_pct", "%.1f", Target.NONE),
            new Row("fanout to all rooms p50 (ms)", "fanout_p50_ms", "%.1f", Target.NONE),
            new Row("fanout to all rooms p99 (ms)", "fanout_p99_ms", "%.1f",
                    Target.atMostTimesRef(0.2, "≤ 1/5 of ref")),
            new Row("fanout to all rooms max (ms)", "fanout_max_ms", "%.1f", Target.NONE),
            new Row("fanout lost deliveries", "fanout_lost", "%.0f", Target.atMost(0, "0")),
            new Row("deliveries/s, all rooms, no loss", "deliveries_per_s_all", "%.0f",
                    Target.atLeastTimesRef(5, "≥ 5× ref")),
            new Row("deliveries/s, one room, no loss", "deliveries_per_s_one", "%.0f",
                    Target.atLeastTimesRef(2, "≥ 2× ref")),
            new Row("plain request, idle, p50 (ms)", "plain_idle_p50_ms", "%.2f", Target.NONE),
            new Row("plain request, idle, p99 (ms)", "plain_idle_p99_ms", "%.2f", Target.NONE),
            new Row("plain request, N held, p50 (ms)", "plain_held_p50_ms", "%.2f",
                    Target.atMostTimesRef(1, "≤ ref")),
            new Row("plain request, N held, p99 (ms)", "plain_held_p99_ms", "%.2f",
                    Target.atMostTimesRef(1, "≤ ref")),
            new Row("lost deliveries, all phases", "lost", "%.0f", Target.atMost(0, "0")));

    /**
     * The WebSocket tables (one per mode, results named {@code reference-<mode>} / {@code ours-<mode>}): memory,
     * fanout and throughput; the targets of issue 9.
     */
    private static final List<Row> WS_ROWS = List.of(
            new Row("machine load average (1 min) at the start", "load_avg_1m", "%.2f", Target.NONE),
            new Row("held WebSockets (subscription in force)", "held", "%.0f", Target.NONE),
            new Row("WebSockets opened, subscribed and held per second", "held_per_s", "%.0f", Target.NONE),
            new Row("RSS before → after (MB)", "rss_after_kb", "%s", Target.NONE),
            new Row("ΔRSS per held WebSocket (B)", "rss_per_conn_b", "%.0f",
                    Target.atMostTimesRef(0.1, "≤ 1/10 of ref")),
            new Row("live heap per held WebSocket (B)", "heap_per_conn_b", "%.0f",
                    Target.atMost(2048, "≤ 2 KiB")),
            new Row("idle CPU with N held (% of a core)", "idle_cpu_pct", "%.1f", Target.NONE),
            new Row("fanout to all rooms p50 (ms)", "fanout_p50_ms", "%.1f", Target.NONE),
            new Row("fanout to all rooms p99 (ms)", "fanout_p99_ms", "%.1f",
                    Target.atMostTimesRef(0.2, "≤ 1/5 of ref")),
            new Row("fanout to all rooms max (ms)", "fanout_max_ms", "%.1f", Target.NONE),
            new Row("deliveries/s, all rooms, no loss", "deliveries_per_s_all", "%.0f",
                    Target.atLeastTimesRef(5, "≥ 5× ref")),
            new Row("deliveries/s, one room, no loss", "deliveries_per_s_one", "%.0f", Target.NONE),
            new Row("lost deliveries, all phases", "lost", "%.0f", Target.atMost(0, "0")));

    /** Held long-polls ({@code --mode poll}, results {@code <server>-poll}): each publish answers them all. */
    private static final List<Row> POLL_ROWS = List.of(
            new Row("machine load average (1 min) at the start", "load_avg_1m", "%.2f", Target.NONE),
            new Row("held long-polls", "held", "%.0f", Target.NONE),
            new Row("long-polls sent and held per second", "held_per_s", "%.0f", Target.NONE),
            new Row("RSS before → after (MB)", "rss_after_kb", "%s", Target.NONE),
            new Row("ΔRSS per held long-poll (B)", "rss_per_conn_b", "%.0f", Target.NONE),
            new Row("live heap per held long-poll (B)", "heap_per_conn_b", "%.0f", Target.NONE),
            new Row("idle CPU with N held (% of a core)", "idle_cpu_pct", "%.1f", Target.NONE),
            new Row("publish → answer, all rooms, p50 (ms)", "fanout_p50_ms", "%.1f", Target.NONE),
            new Row("publish → answer, all rooms, p99 (ms)", "fanout_p99_ms", "%.1f", Target.NONE),
            new Row("answer → re-poll at the origin, p50 (ms)", "repoll_p50_ms", "%.1f", Target.NONE),
            new Row("answer → re-poll at the origin, p99 (ms)", "repoll_p99_ms", "%.1f", Target.NONE),
            new Row("fanout lost answers", "fanout_lost", "%.0f", Target.atMost(0, "0")),
            new Row("held long-polls closed or refused by the server", "dropped", "%.0f", Target.atMost(0, "0")),
            new Row("deliveries/s, all rooms, every client every message", "deliveries_per_s_all", "%.0f",
                    Target.NONE),
            new Row("deliveries/s, one room, every client every message", "deliveries_per_s_one", "%.0f",
                    Target.NONE),
            new Row("re-polls, all phases", "reconnects", "%.0f", Target.NONE));

    /** A load generator mode with a table of its own: its name in result names, heading and rows. */
    record ModeTable(String mode, String heading, List<Row> rows) {
    }

    private static final List<ModeTable> MODE_TABLES = List.of(
            new ModeTable("poll", "Held long-polls (`GET /poll/i`; each answer is followed by a re-poll on the same "
                    + "connection)", POLL_ROWS),
            new ModeTable("ws", "WebSocket passthrough (`GET /ws/i` upgraded and relayed to the origin)", WS_ROWS),
            new ModeTable("ws_over_http", "WebSocket-over-HTTP (`/wsh/i`, route option `over_http`)", WS_ROWS));

    /** Rows where ours ÷ reference means nothing (a count of the run, the machine, a before → after pair). */
    private static final Set<String> NO_RATIO = Set.of("load_avg_1m", "held", "rss_after_kb", "reconnects");

    @Option(names = "--results", required = true, description = "RESULT/CURVE lines of both servers")
    Path resultsFile;
    @Option(names = "--doc", description = "markdown page to append to (none: print only)")
    Path doc;
    @Option(names = "--png", description = "where the plot goes (none: no plot)")
    Path png;
    @Option(names = "--command", description = "the command that ran, for the record")
    String command = "";
    @Option(names = "--note", description = "further lines for the record (servers, settings)")
    List<String> notes = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new SideBySideReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Results results = Results.read(resultsFile);
        String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        StringBuilder md = new StringBuilder("### ").append(when).append("\n\n")
                .append("- machine: ").append(Machine.describe()).append('\n')
                .append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n')
                .append("- command: `").append(command).append("`\n");
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        Map<String, List<Results.Point>> sseCurves = new LinkedHashMap<>(results.curves);
        sseCurves.keySet().retainAll(Set.of(REF, OURS, NCHAN));
        if (png != null && !sseCurves.isEmpty()) {
            SideBySidePlot.write(sseCurves, "Plain-request latency and RSS vs held SSE connections", png);
            md.append("\n![plain-request latency and RSS vs held connections](img/")
                    .append(png.getFileName()).append(")\n");
        }
        if (results.figures.containsKey(REF) || results.figures.containsKey(OURS)
                || results.figures.containsKey(NCHAN)) {
            md.append('\n').append(table(results));
        }
        md.append(modeTables(results));
        System.out.println(md);
        if (doc != null) {
            append(doc, md.toString());
            System.out.println("appended to " + doc);
        }
        return 0;
    }

    static String table(Results r) {
        return table(r, REF, OURS, NCHAN, ROWS);
    }

    /** A table per further mode that ran (long-polls, WebSockets), headed by the mode and N. */
    static String modeTables(Results r) {
        StringBuilder sb = new StringBuilder();
        for (ModeTable mode : MODE_TABLES) {
            String ref = REF + "-" + mode.mode();
            String ours = OURS + "-" + mode.mode();
            String nchan = NCHAN + "-" + mode.mode();
            if (!r.figures.containsKey(ref) && !r.figures.containsKey(ours) && !r.figures.containsKey(nchan)) {
                continue;
            }
            double n = Math.max(Math.max(orZero(r.get(ref, "n")), orZero(r.get(ours, "n"))),
                    orZero(r.get(nchan, "n")));
            sb.append(String.format(Locale.ROOT, "%n%s, N = %,.0f:%n%n", mode.heading(), n))
                    .append(table(r, ref, ours, nchan, mode.rows()));
        }
        return sb.toString();
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** With Nchan's value and ours ÷ Nchan as two more columns where {@code nchanName} has results. */
    static String table(Results r, String refName, String oursName, String nchanName, List<Row> rows) {
        boolean nchan = r.figures.containsKey(nchanName);
        StringBuilder sb = new StringBuilder(nchan
                ? "| figure | reference 1.36 | ours | Nchan | ours / ref | ours / Nchan | target | met |\n"
                        + "|---|---|---|---|---|---|---|---|\n"
                : "| figure | reference 1.36 | ours | ours / ref | target | met |\n|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            double ref = r.get(refName, row.key());
            double ours = r.get(oursName, row.key());
            String refText = cell(r, refName, row);
            String oursText = cell(r, oursName, row);
            String ratio = ratio(row, ours, ref);
            if (nchan) {
                oursText += " | " + cell(r, nchanName, row);
                ratio += " | " + ratio(row, ours, r.get(nchanName, row.key()));
            }
            String met = "";
            if (row.target().met() != null && !Double.isNaN(ours)) {
                boolean needsRef = row.target().text().contains("ref");
                met = needsRef && Double.isNaN(ref) ? "?"
                        : row.target().met().applyAsDouble(ref, ours) == 1 ? "yes" : "**no**";
            }
            sb.append("| ").append(row.label()).append(" | ").append(refText).append(" | ").append(oursText)
                    .append(" | ").append(ratio).append(" | ").append(row.target().text()).append(" | ")
                    .append(met).append(" |\n");
        }
        return sb.toString();
    }

    private static String ratio(Row row, double ours, double other) {
        return Double.isNaN(other) || Double.isNaN(ours) || other == 0 || NO_RATIO.contains(row.key())
                ? "" : String.format(Locale.ROOT, "%.2f", ours / other);
    }

    private static String cell(Results r, String name, Row row) {
        if (row.format().equals("%s")) { // RSS before → after
            double before = r.get(name, "rss_before_kb");
            double after = r.get(name, "rss_after_kb");
            return Double.isNaN(after) ? "-"
                    : String.format(Locale.ROOT, "%.1f → %.1f", before / 1024, after / 1024);
        }
        double v = r.get(name, row.key());
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, row.format(), v);
    }

    /** Appends {@code section} at the end of the {@value #HEADING} section, creating it if needed. */
    static void append(Path doc, String section) throws IOException {
        String s = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        if (!s.contains(HEADING)) {
            s = s.stripTrailing() + "\n\n" + HEADING + "\n\n"
                    + "`scripts/bench-side-by-side.sh [N]` (default 15000; see the script header for its variables).\n";
        }
        int start = s.indexOf(HEADING) + HEADING.length();
        Matcher next = Pattern.compile("^## ", Pattern.MULTILINE).matcher(s);
        int end = next.find(start) ? next.start() : s.length();
        String rest = s.substring(end);
        s = s.substring(0, end).stripTrailing() + "\n\n" + section.stripTrailing() + "\n"
                + (rest.isEmpty() ? "" : "\n" + rest);
        Files.writeString(doc, s);
    }
}
