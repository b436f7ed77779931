package org.pushpin.bench.million;

import io.netty.channel.Channel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.pushpin.hub.Hub;

/**
 * Connect-and-drop soak over the in-JVM transport: waves of SSE clients that are held, get one message per room (so
 * buffers go through the whole delivery path) and are closed. After each wave, once the server has let go of every
 * subscription, the live instances of the per-connection classes (class histogram after a full GC) must be back at
 * the baseline taken after the first wave, and live heap and buffer objects (allocator and recycler caches, which
 * fill during the first waves) must stop growing: no more than the slack over the second half of the run, where a
 * leak of even one object per connection would show. Netty's leak reports are counted ({@link LeakCounter}); run
 * it with {@code -Dio.netty.leakDetection.level=PARANOID} to track every buffer. PASS needs: every wave held and
 * delivered in full, per-connection counts back at the baseline, heap and caches level, 0 leaks.
 *
 * <pre>java -Xmx4g -cp bench/target/pushpin-bench.jar org.pushpin.bench.million.ChurnSoak [waves] [perWave]</pre>
 * Prints a {@code RESULT key=value ...} line last.
 */
public final class ChurnSoak {
    /** Origin connections pooled per loop and their peers may come and go between waves; buffers are recycled. */
    private static final long COUNT_SLACK = 1000;
    /**
     * Allowed growth of live heap over the second half of the waves. Allocator and recycler caches fill during the
     * first waves and then stay; a leak grows with every wave: 16 MB over 15 waves of 100,000 is under 12 bytes per
     * connection, less than any leaked object.
     */
    private static final long HEAP_SLACK_BYTES = 16L << 20;
    /** Key classes that are caches (they fill, then level off) rather than per-connection state. */
    private static final String CACHES = "io.netty.buffer.*";

    static {
        LeakCounter.install(); // before any buffer exists
    }

    private ChurnSoak() {
    }

    /** The classes whose live instances must return to the baseline. */
    private static final Map<String, Predicate<String>> KEY_CLASSES = new LinkedHashMap<>();

    static {
        KEY_CLASSES.put("LocalChannel", "io.netty.channel.local.LocalChannel"::equals);
        KEY_CLASSES.put("pipelines", "io.netty.channel.DefaultChannelPipeline"::equals);
        KEY_CLASSES.put("org.pushpin.hold.*", c -> c.startsWith("org.pushpin.hold."));
        KEY_CLASSES.put("org.pushpin.proxy.*", c -> c.startsWith("org.pushpin.proxy."));
        KEY_CLASSES.put("hub LoopChannel", "org.pushpin.hub.LoopChannel"::equals);
        KEY_CLASSES.put("hub ChannelIndex", "org.pushpin.hub.ChannelIndex"::equals);
        KEY_CLASSES.put("io.netty.buffer.*", c -> c.startsWith("io.netty.buffer."));
    }

    public static void main(String[] args) throws Exception {
        int waves = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int perWave = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rooms = Math.max(1, perWave / 100);
        MillionSimulation.log("%d waves of %,d connections (%d rooms), leak detection %s", waves, perWave, rooms,
                io.netty.util.ResourceLeakDetector.getLevel());
        HeapMeter heap = new HeapMeter();
        SseClients clients = new SseClients(1, 2000);
        InJvmPushpin pushpin = InJvmPushpin.start(perWave + 1000, rooms);
        Hub hub = pushpin.server().hub();
        Channel[] channels = new Channel[perWave];
        long[] base = null;
        HeapMeter.Histogram baseHistogram = null;
        HeapMeter.Histogram lastHistogram = null;
        long baseHeap = 0;
        long[] worst = new long[KEY_CLASSES.size()];
        long worstHeap = 0;
        long[] heapAt = new long[waves + 1];
        long[] cachesAt = new long[waves + 1];
        int cacheIndex = new java.util.ArrayList<>(KEY_CLASSES.keySet()).indexOf(CACHES);
        boolean ok = true;
        long t0 = System.nanoTime();
        for (int w = 1; w <= waves; w++) {
            long initials = clients.initials.sum();
            clients.open(pushpin.address(), 0, channels, perWave, k -> { });
            long held = clients.initials.sum() - initials;
            MillionSimulation.Fanout f = MillionSimulation.fanout(pushpin, clients, rooms, held, "w" + w);
            SseClients.closeAll(channels, perWave);
            long until = System.nanoTime() + 30_000_000_000L;
            while (!hub.channelNames().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            lastHistogram = settledHistogram(heap, base);
            long[] counts = counts(lastHistogram);
            long used = heap.liveBytes();
            boolean waveOk = held == perWave && f.lost(held) == 0 && hub.channelNames().isEmpty();
            heapAt[w] = used;
            cachesAt[w] = counts[cacheIndex];
            if (base == null) {
                base = counts;
                baseHistogram = lastHistogram;
                baseHeap = used;
            } else {
                for (int i = 0; i < counts.length; i++) {
                    worst[i] = Math.max(worst[i], counts[i]);
                    // per-connection state must be back at the baseline after every wave; caches are judged below
                    waveOk &= i == cacheIndex || counts[i] <= base[i] + COUNT_SLACK;
                }
                worstHeap = Math.max(worstHeap, used);
            }
            ok &= waveOk;
            MillionSimulation.log("wave %d: held %,d, delivered %,d in %.3f s, live heap %.1f MB, %s%s", w, held,
                    f.received(), f.seconds(), used / 1048576.0, describe(counts), waveOk ? "" : "  <-- FAIL");
        }
        // Caches level off: over the second half of the run, heap and buffer objects must not grow (a leak would).
        int mid = Math.max(1, waves / 2);
        boolean levels = heapAt[waves] - heapAt[mid] <= HEAP_SLACK_BYTES
                && cachesAt[waves] - cachesAt[mid] <= COUNT_SLACK;
        ok &= levels;
        MillionSimulation.log("waves %d → %d: live heap %.1f → %.1f MB, %s %d → %d (allowed: +%d MB, +%d): %s", mid,
                waves, heapAt[mid] / 1048576.0, heapAt[waves] / 1048576.0, CACHES, cachesAt[mid], cachesAt[waves],
                HEAP_SLACK_BYTES >> 20, COUNT_SLACK, levels ? "levels off" : "STILL GROWING");
        long leaks = LeakCounter.collect();
        boolean detectorOk = !LeakCounter.paranoid() || LeakCounter.canarySeen();
        ok &= leaks == 0 && detectorOk;
        double minutes = (System.nanoTime() - t0) / 60e9;
        MillionSimulation.log("baseline (after wave 1): heap %.1f MB, %s", baseHeap / 1048576.0, describe(base));
        MillionSimulation.log("worst of waves 2-%d:      heap %.1f MB, %s", waves, worstHeap / 1048576.0,
                describe(worst));
        MillionSimulation.log("grew most from the baseline to the last wave: %s",
                String.join("; ", lastHistogram.topGrowth(baseHistogram, 8)));
        MillionSimulation.log("leak reports: %d%s; %s", leaks, LeakCounter.paranoid()
                ? (detectorOk ? " (PARANOID; the canary was reported, so detection works)" : " (canary NOT reported)")
                : "", ok ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "RESULT waves=%d per_wave=%d total=%d minutes=%.1f level=%s "
                        + "base_heap_mb=%.1f worst_heap_mb=%.1f base_local=%d worst_local=%d base_hold=%d "
                        + "worst_hold=%d base_buf=%d worst_buf=%d mid_heap_mb=%.1f last_heap_mb=%.1f mid_buf=%d last_buf=%d "
                        + "leaks=%d verdict=%s jdk=%s%n", waves, perWave,
                (long) waves * perWave, minutes, io.netty.util.ResourceLeakDetector.getLevel(),
                baseHeap / 1048576.0, worstHeap / 1048576.0, base[0], worst[0], base[2], worst[2], base[6],
                worst[6], heapAt[mid] / 1048576.0, heapAt[waves] / 1048576.0, cachesAt[mid], cachesAt[waves], leaks,
                ok ? "PASS" : "FAIL", System.getProperty("java.version"));
        System.exit(ok ? 0 : 1);
    }

    /**
     * The key counts once the loops are idle: closed channels stay reachable until their loops ran the close's
     * follow-up tasks (deregistration, the peer's close), so a reading above the baseline is retried a few times.
     */
    private static HeapMeter.Histogram settledHistogram(HeapMeter heap, long[] base) throws InterruptedException {
        HeapMeter.Histogram h = heap.histogram();
        for (int attempt = 0; base != null && attempt < 5 && !withinSlack(counts(h), base); attempt++) {
            Thread.sleep(500);
            h = heap.histogram();
        }
        return h;
    }

    private static boolean withinSlack(long[] counts, long[] base) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > base[i] + COUNT_SLACK) {
                return false;
            }
        }
        return true;
    }

    private static long[] counts(HeapMeter.Histogram h) {
        long[] c = new long[KEY_CLASSES.size()];
        int i = 0;
        for (Predicate<String> p : KEY_CLASSES.values()) {
            c[i++] = h.instances(p);
        }
        return c;
    }

    private static String describe(long[] counts) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String name : KEY_CLASSES.keySet()) {
            sb.append(i == 0 ? "" : ", ").append(name).append(' ').append(counts[i++]);
        }
        return sb.toString();
    }
}
