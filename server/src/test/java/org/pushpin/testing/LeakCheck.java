package org.pushpin.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer (or any other tracked resource) during it.
 *
 * <p>A recording {@link ResourceLeakDetectorFactory} is installed in the static initializer. It must be in place
 * before the first buffer is allocated in this JVM (Netty keeps its detectors in static fields), so this extension
 * is registered through JUnit's extension auto-detection ({@code META-INF/services}), which loads it before any
 * test class runs; {@link PushpinServerExtension} also touches it before starting a server. After each test class
 * it forces garbage collection, allocates and releases buffers (leaks are reported on the next allocation) and
 * fails if anything was reported. Once per JVM it first leaks a marked canary buffer on purpose and fails if that
 * one goes unreported, so a detector that is not wired in cannot pass silently.
 */
public final class LeakCheck implements AfterAllCallback {
    private static final String CANARY = "leakcheck-canary-";
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean CANARY_SEEN = new AtomicBoolean();
    private static final AtomicInteger CANARY_COUNT = new AtomicInteger();
    private static final boolean INSTALLED;

    static {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        // Netty creates the ByteBuf detector when AbstractByteBuf is initialised; do it now, with ours in place.
        INSTALLED = ResourceLeakDetectorFactory.instance() instanceof RecordingFactory;
        ByteBufAllocator.DEFAULT.buffer(1).release();
    }

    /** Makes sure the recording factory is installed (class initialisation does it). */
    public static void install() {
        if (!INSTALLED) {
            throw new IllegalStateException("leak detector factory not installed");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeaks(context.getDisplayName());
    }

    /** Collects pending leak reports and fails when there are any. */
    public static void assertNoLeaks(String where) {
        boolean paranoid = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
        boolean checkCanary = paranoid && !CANARY_SEEN.get();
        if (checkCanary) {
            leakCanary();
        }
        for (int round = 0; round < 6; round++) {
            System.gc();
            sleep(round < 2 ? 20 : 50);
            churn();
            if (checkCanary && CANARY_SEEN.get() && round >= 2) {
                break;
            }
        }
        List<String> found = new ArrayList<>(LEAKS);
        LEAKS.removeAll(found);
        if (checkCanary && !CANARY_SEEN.get()) {
            throw new AssertionError("LeakCheck is not effective: a deliberately leaked buffer was not reported "
                    + "(was a Netty buffer allocated before LeakCheck was installed?)");
        }
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty resource leak(s) reported during " + where + ":\n"
                    + String.join("\n\n", found));
        }
    }

    private static void leakCanary() {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(8);
        b.writeByte(1);
        b.touch(CANARY + CANARY_COUNT.incrementAndGet());
        // dropped without release, on purpose
    }

    private static void churn() {
        for (int i = 0; i < 32; i++) {
            ByteBufAllocator.DEFAULT.buffer(64).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            UnpooledByteBufAllocator.DEFAULT.heapBuffer(64).release();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void record(String report) {
        if (report.contains(CANARY)) {
            CANARY_SEEN.set(true);
        } else {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            if (!records.contains(CANARY)) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected "
                    + "(no access records).");
            super.reportUntracedLeak(resourceType);
        }
    }
}
