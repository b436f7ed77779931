package org.pushpin.bench.million;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live heap of this JVM: {@link #liveBytes()} runs a full collection ({@code System.gc()}, twice, so objects freed
 * by the first one's reference processing go too) and reads the heap's "used" from the {@code MemoryMXBean};
 * {@link #histogram()} is {@code jcmd GC.class_histogram} from inside (the DiagnosticCommand MBean), which also
 * collects first. Run with {@code -XX:-ExplicitGCInvokesConcurrent} (the default) so {@code System.gc()} is a full GC.
 */
final class HeapMeter {
    /** Live heap in bytes after a full GC. */
    long liveBytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Collections so far and their time in ms, over every collector. */
    static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Live instances and bytes per class name, after a full GC. */
    Histogram histogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("class histogram unavailable", e);
        }
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "   1:   1000000   48000000  io.netty.channel.local.LocalChannel (java.base@...)"
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return new Histogram(classes);
    }

    /** One class histogram: name → {instances, bytes}. */
    record Histogram(Map<String, long[]> classes) {
        long instances(String className) {
            long[] v = classes.get(className);
            return v == null ? 0 : v[0];
        }

        /** The {@code n} classes whose live bytes grew most from {@code from} to this one, "name +bytes (+count)". */
        List<String> topGrowth(Histogram from, int n) {
            List<String> names = new ArrayList<>(classes.keySet());
            names.sort(Comparator.comparingLong(c -> -(bytes(c) - from.bytes(c))));
            List<String> out = new ArrayList<>();
            for (String c : names.subList(0, Math.min(n, names.size()))) {
                out.add(String.format(Locale.ROOT, "%s %+d B (%+d)", c, bytes(c) - from.bytes(c),
                        instances(c) - from.instances(c)));
            }
            return out;
        }

        long bytes(String className) {
            long[] v = classes.get(className);
            return v == null ? 0 : v[1];
        }

        /** Instances summed over every class whose name matches. */
        long instances(Predicate<String> names) {
            long n = 0;
            for (Map.Entry<String, long[]> e : classes.entrySet()) {
                if (names.test(e.getKey())) {
                    n += e.getValue()[0];
                }
            }
            return n;
        }
    }
}
