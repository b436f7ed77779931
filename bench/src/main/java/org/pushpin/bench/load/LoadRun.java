package org.pushpin.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One run against one server, phase by phase: a plain request's latency while idle; a warm-up; memory before;
 * connecting N clients (sampling RSS and plain latency every N/10 for the curves); memory after; idle CPU; plain
 * latency while N are held; fanout rounds; throughput ramps for all rooms and for one room. Every figure goes to
 * {@link Figures}.
 */
final class LoadRun {
    /** Phases that can be left out; connecting N clients always happens. */
    enum Phase { PLAIN, MEMORY, CPU, FANOUT, THROUGHPUT }

    /** Enough for the JIT and the young generation to settle before the baseline reading (both servers). */
    private static final int WARM_UP = 1000;
    private static final int WARM_UP_BASE = 1_000_000; // client indexes of the warm-up, apart from the N
    private static final int CURVE_PLAIN_SAMPLES = 15;

    private final LoadGen o;
    private final Set<Phase> phases;
    private final ConnectionHolder holder;
    private final RoomPublisher publisher;
    private final Publisher probes; // the GRIP control API for WebSocket probes; null with Nchan
    private final Deliveries deliveries;
    private final PlainProbe plain;
    private final ProcessTree tree; // null without --pid
    private final Figures f;
    private long lost;

    LoadRun(LoadGen options, ConnectionHolder holder, RoomPublisher publisher, Publisher probes,
            Deliveries deliveries, PlainProbe plain, ProcessTree tree) {
        this.o = options;
        this.phases = options.phases();
        this.holder = holder;
        this.publisher = publisher;
        this.probes = probes;
        this.deliveries = deliveries;
        this.plain = plain;
        this.tree = tree;
        this.f = new Figures(options.name);
    }

    Figures figures() {
        return f;
    }

    /** Runs the phases; true when every client was held and nothing was lost. */
    boolean run() throws Exception {
        f.put("load_avg_1m", Machine.loadAverage(), "of the machine at the start (others' work skews the figures)");
        if (phases.contains(Phase.PLAIN)) {
            LatencyHistogram h = plain.sample(o.plainSamples);
            f.put("plain_idle_p50_ms", h.percentileMs(0.5), "GET /plain, new connection each, nothing held");
            f.put("plain_idle_p99_ms", h.percentileMs(0.99), "same, p99");
        }
        boolean memory = phases.contains(Phase.MEMORY) && tree != null;
        long rssBefore = 0;
        long heapBefore = 0;
        if (memory) {
            warmUp();
            // the full GC of the heap reading may hand memory back, so RSS is read after it, before and after
            heapBefore = o.jvm ? tree.liveHeapKb() : 0;
            rssBefore = tree.rssKb();
            f.put("rss_before_kb", rssBefore, "RSS of the server process tree");
            f.put("processes", String.join(",", tree.rssKbByName().keySet()), "the server process tree");
            if (o.jvm) {
                f.put("heap_before_kb", heapBefore, "live heap after a full GC");
            }
        }
        connect();
        int held = holder.held();
        if (memory && held > 0) {
            Thread.sleep(2000);
            long heapAfter = o.jvm ? tree.liveHeapKb() : 0;
            long rssAfter = tree.rssKb();
            f.put("rss_after_kb", rssAfter, "with " + held + " held");
            f.put("rss_per_conn_b", (rssAfter - rssBefore) * 1024.0 / held, "ΔRSS / N");
            if (o.jvm) {
                f.put("heap_after_kb", heapAfter, "live heap after a full GC");
                f.put("heap_per_conn_b", (heapAfter - heapBefore) * 1024.0 / held, "Δlive heap / N");
            }
        }
        if (phases.contains(Phase.CPU) && tree != null) {
            idleCpu();
        }
        if (phases.contains(Phase.PLAIN)) {
            LatencyHistogram h = plain.sample(o.plainSamples);
            f.put("plain_held_p50_ms", h.percentileMs(0.5), "GET /plain while " + held + " held");
            f.put("plain_held_p99_ms", h.percentileMs(0.99), "same, p99");
            f.put("plain_errors", plain.errors(), "plain requests that failed");
        }
        if (phases.contains(Phase.FANOUT)) {
            fanout();
        }
        if (phases.contains(Phase.THROUGHPUT)) {
            throughput();
        }
        f.put("dropped", holder.dropped(), "held connections the server closed (or, long-polls, refused: "
                + holder.failures() + ")");
        f.put("reconnects", holder.reconnects(), "long-poll re-requests");
        f.put("lost", lost, "expected - received deliveries, all phases");
        return holder.failed() == 0 && holder.dropped() == 0 && lost == 0;
    }

    /** A few held clients and a publish, so that first-use allocations are not counted as per-connection cost. */
    private void warmUp() throws Exception {
        holder.open(WARM_UP_BASE, Math.min(WARM_UP, o.n), 0, o.maxInFlight, 0, null);
        confirmSubscriptions();
        LatencyHistogram h = deliveries.restart();
        long expected = Arrays.stream(holder.heldPerRoom(o.rooms)).sum();
        publisher.rooms(0, o.rooms, 1);
        await(h, expected, 10_000);
        holder.closeAll();
        Thread.sleep(2000);
    }

    private void connect() throws Exception {
        if (tree != null) {
            f.curvePoint(0, tree.rssKb(), plain.sample(CURVE_PLAIN_SAMPLES).percentileMs(0.5));
        }
        int every = tree != null && o.curvePoints > 0 ? Math.max(1, o.n / o.curvePoints) : 0;
        Log.line("connecting %d %s clients to ports %s at %s/s, at most %d in flight", o.n, o.mode, o.ports,
                o.connectRate > 0 ? String.valueOf(o.connectRate) : "unlimited", o.maxInFlight);
        long t0 = System.nanoTime();
        double seconds = holder.open(0, o.n, o.connectRate, o.maxInFlight, every,
                held -> f.curvePoint(held, tree.rssKb(), plain.sample(CURVE_PLAIN_SAMPLES).percentileMs(0.5)));
        long t1 = System.nanoTime();
        int unconfirmed = confirmSubscriptions();
        seconds += (System.nanoTime() - t1) / 1e9;
        if (o.mode.websocket()) {
            f.put("probe_s", (System.nanoTime() - t1) / 1e9, "publishing probes until every WebSocket got one");
            f.put("unconfirmed", unconfirmed, "WebSockets that never got a probe (counted as failed)");
            Log.line("  %d WebSockets subscribed in %.1f s", holder.held(), (System.nanoTime() - t0) / 1e9);
        }
        int held = holder.held();
        f.put("n", o.n, "clients asked for");
        f.put("held", held, "clients held");
        f.put("failed", holder.failed(), "clients never held " + holder.failures());
        f.put("connect_s", seconds, "time to hold them all (curve sampling excluded)");
        f.put("held_per_s", held / seconds, "accepted and held connections per second");
        if (tree != null) {
            f.curvePoint(held, tree.rssKb(), plain.sample(CURVE_PLAIN_SAMPLES).percentileMs(0.5));
        }
    }

    /** WebSockets count as held once a publish reached them ({@link SubscriptionProbe}); HTTP holds already do. */
    private int confirmSubscriptions() throws IOException, InterruptedException {
        return o.mode.websocket() ? new SubscriptionProbe(holder, probes, o.rooms).confirmAll() : 0;
    }

    private void idleCpu() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long before = tree.cpuTicks();
        Thread.sleep(TimeUnit.SECONDS.toMillis(o.idleCpuSeconds));
        long ticks = tree.cpuTicks() - before;
        double seconds = (System.nanoTime() - t0) / 1e9;
        f.put("idle_cpu_pct", 100.0 * ticks / ProcessTree.CLOCK_TICKS / seconds,
                "CPU of the server tree over " + o.idleCpuSeconds + " s with N held, nothing published, % of a core");
    }

    /**
     * One message to every room in one POST, several rounds apart; latency over all deliveries of all rounds. With
     * long-polls and {@code --origin}, also how long the clients took to re-poll after each round.
     */
    private void fanout() throws IOException, InterruptedException {
        OriginRepolls repolls = o.mode == Mode.POLL && o.originPort > 0
                ? new OriginRepolls(new InetSocketAddress("127.0.0.1", o.originPort)) : null;
        if (repolls != null) {
            repolls.read(); // forget the re-polls of the warm-up
        }
        LatencyHistogram all = new LatencyHistogram();
        long fanoutLost = 0;
        for (int round = 0; round < o.fanoutRounds; round++) {
            LatencyHistogram h = deliveries.restart();
            long expected = Arrays.stream(holder.heldPerRoom(o.rooms)).sum();
            long t0 = System.nanoTime();
            publisher.rooms(0, o.rooms, 1);
            await(h, expected, 30_000);
            long received = h.count();
            fanoutLost += expected - received;
            all.add(h);
            Log.line("  fanout round %d: %d/%d in %.0f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms", round + 1,
                    received, expected, (System.nanoTime() - t0) / 1e6, h.percentileMs(0.5),
                    h.percentileMs(0.99), h.maxMs());
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.fanoutIntervalSeconds));
            if (round + 1 == o.faultAfterRound && !o.faultCommand.isEmpty()) {
                injectFault();
            }
        }
        lost += fanoutLost;
        f.put("fanout_p50_ms", all.percentileMs(0.5),
                "publish to every room in one POST, " + o.fanoutRounds + " rounds");
        f.put("fanout_p99_ms", all.percentileMs(0.99), "same, p99");
        f.put("fanout_max_ms", all.maxMs(), "same, max");
        f.put("fanout_lost", fanoutLost, "expected - received");
        if (repolls != null) {
            Map<String, Double> r = repolls.read();
            f.put("repolls", r.getOrDefault("count", 0.0).longValue(), "re-polls that reached the origin");
            f.put("repoll_p50_ms", r.getOrDefault("p50_ms", 0.0),
                    "a long-poll's answer received → its next request at the origin, through the server");
            f.put("repoll_p99_ms", r.getOrDefault("p99_ms", 0.0), "same, p99");
            f.put("repoll_max_ms", r.getOrDefault("max_ms", 0.0), "same, max");
        }
    }

    /** Runs the fault command (it returns once the servers are ready again); the held connections stay. */
    private void injectFault() throws IOException, InterruptedException {
        Log.line("  fault: %s", o.faultCommand);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", o.faultCommand).inheritIO().start();
        int rc = p.waitFor();
        Log.line("  fault done in %.1f s (exit %d)", (System.nanoTime() - t0) / 1e9, rc);
        f.put("fault_s", (System.nanoTime() - t0) / 1e9, "time the fault command took: " + o.faultCommand);
    }

    private void throughput() throws IOException, InterruptedException {
        ThroughputRamp ramp = new ThroughputRamp(publisher, deliveries, o.stepSeconds, o.graceMillis);
        int[] perRoom = holder.heldPerRoom(o.rooms);
        int subscribers = Arrays.stream(perRoom).sum();
        ThroughputRamp.Best allRooms = ramp.ramp("all rooms", 0, o.rooms, subscribers, o.rateAll, o.maxSteps);
        record("all", allRooms, o.rooms + " rooms, " + subscribers + " subscribers");
        ThroughputRamp.Best oneRoom = ramp.ramp("one room", 0, 1, perRoom[0], o.rateOne, o.maxSteps);
        record("one", oneRoom, "room-0, " + perRoom[0] + " subscribers");
    }

    private void record(String key, ThroughputRamp.Best best, String what) {
        f.put("deliveries_per_s_" + key, best.rate(), "best passing rate, " + what);
        if (best.step() != null) {
            f.put("deliveries_p99_ms_" + key, best.step().p99Ms(), "delivery p99 at that rate");
        }
    }

    private static void await(LatencyHistogram h, long expected, long limitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (h.count() < expected && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }
}
