package org.pushpin.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the heap is too full to take on more held connections (docs/reliability.md#heap-pressure): set when a
 * garbage collection leaves {@code highPercent} of the maximum heap or more in use, cleared when a later one leaves
 * less than {@code lowPercent}. While it is set, new holds are refused with a 503, so a heap too small for the load
 * turns new clients away instead of ending in an OutOfMemoryError that drops everyone.
 *
 * <p>Checked at the end of each collection (the JVM's collection notifications, on its notification thread):
 * nothing on a request or delivery path but the read of one volatile field. The figure is the heap pools' usage
 * right after the collection, as the notification reports it, which works the same for every collector. After a
 * young collection it counts dead objects of the old generation not yet collected; the pools' own "collection
 * usage" (and the thresholds on it) would not do instead: the old generation's is updated only by a mixed or full
 * collection, and G1 skips mixed ones while the old data is live, so it would stay stale until a full collection
 * at the edge of an OutOfMemoryError. Listeners are per server and go at {@link #close} (several servers may share
 * one JVM, in tests); nothing is set on the JVM.
 */
public final class HeapPressure implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeapPressure.class);

    private final int highPercent;
    private final int lowPercent;
    private final long maxHeap;
    /** The names of the heap's pools (a notification reports every pool, the code cache and metaspace too). */
    private final List<String> heapPools = new ArrayList<>();
    private final List<NotificationEmitter> collectors = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private volatile boolean high;
    private volatile long usedAfterGc;

    private HeapPressure(int highPercent, int lowPercent, long maxHeap) {
        this.highPercent = highPercent;
        this.lowPercent = lowPercent;
        this.maxHeap = maxHeap;
    }

    /** Never under pressure ({@code heap_pressure_percent=0}). */
    public static HeapPressure off() {
        return new HeapPressure(0, 0, 0);
    }

    /**
     * Watches this JVM's collections from now until {@link #close}: under pressure from {@code highPercent} of the
     * maximum heap in use after a collection, until below {@code lowPercent}. {@code highPercent} 0 = {@link #off()}.
     */
    public static HeapPressure watch(int highPercent, int lowPercent) {
        if (highPercent <= 0) {
            return off();
        }
        HeapPressure p = new HeapPressure(highPercent, lowPercent, Runtime.getRuntime().maxMemory());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                p.heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(p.listener, HeapPressure::endOfCollection, null);
                p.collectors.add(emitter);
            }
        }
        return p;
    }

    private static boolean endOfCollection(Notification n) {
        return GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType());
    }

    /** For tests of the marks: a guard fed by {@link #afterCollection} alone. */
    static HeapPressure unattached(int highPercent, int lowPercent, long maxHeap) {
        return new HeapPressure(highPercent, lowPercent, maxHeap);
    }

    /** True while new holds are to be refused. One volatile read: fine on every request. */
    public boolean high() {
        return high;
    }

    /** The share of the maximum heap in use after the last collection seen (0 before the first, or when off). */
    public int percentAfterGc() {
        return maxHeap == 0 ? 0 : percentOf(usedAfterGc);
    }

    /** The bytes in use after the last collection seen. */
    long usedAfterGc() {
        return usedAfterGc;
    }

    private int percentOf(long bytes) {
        return (int) Math.min(100, bytes * 100 / maxHeap);
    }

    public int highPercent() {
        return highPercent;
    }

    private void collected(Notification n, Object handback) {
        Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                .getGcInfo().getMemoryUsageAfterGc();
        long used = 0;
        for (String pool : heapPools) {
            MemoryUsage u = after.get(pool);
            if (u != null) {
                used += u.getUsed();
            }
        }
        afterCollection(used);
    }

    /** A collection left {@code usedBytes} of the heap in use: the flag follows, a change is logged. */
    synchronized void afterCollection(long usedBytes) {
        int percent = percentOf(usedBytes);
        usedAfterGc = usedBytes;
        if (!high && percent >= highPercent) {
            high = true;
            LOG.warn("heap under pressure: {}% of the maximum heap ({} MiB) in use after a collection; new holds are "
                    + "refused with 503 until it is below {}%", percent, maxHeap >> 20, lowPercent);
        } else if (high && percent < lowPercent) {
            high = false;
            LOG.warn("heap pressure over: {}% of the maximum heap in use after a collection; new holds are taken "
                    + "again", percent);
        }
    }

    /** Stops watching (the flag keeps its last value). */
    @Override
    public void close() {
        for (NotificationEmitter emitter : collectors) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        collectors.clear();
    }
}
