package org.pushpin.bench.million;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts Netty's leak reports (they are still logged). {@link #install()} must run before the first buffer is
 * allocated. Under PARANOID a deliberately dropped canary buffer proves the detector works: {@link #collect()} says
 * whether it was reported, and it is not counted as a leak.
 */
final class LeakCounter {
    private static final String CANARY = "leak-counter-canary";
    private static final LongAdder LEAKS = new LongAdder();
    private static volatile boolean canarySeen;

    private LeakCounter() {
    }

    static void install() {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
    }

    static boolean paranoid() {
        return ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
    }

    /** Drops a tracked canary (under PARANOID), then collects until reports are in; returns the leaks counted. */
    static long collect() throws InterruptedException {
        if (paranoid()) {
            ByteBuf canary = UnpooledByteBufAllocator.DEFAULT.buffer(8);
            canary.touch(CANARY);
        }
        // reports come out when a later allocation polls the detector's queue of collected, unreleased buffers
        for (int round = 0; round < 8 && !(paranoid() && canarySeen && round >= 3); round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 32; i++) {
                ByteBufAllocator.DEFAULT.buffer(64).release();
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(64).release();
            }
        }
        return LEAKS.sum();
    }

    static boolean canarySeen() {
        return canarySeen;
    }

    private static void count(String records) {
        if (records != null && records.contains(CANARY)) {
            canarySeen = true;
        } else {
            LEAKS.increment();
        }
    }

    private static final class Factory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new Detector<>(resource, samplingInterval);
        }
    }

    private static final class Detector<T> extends ResourceLeakDetector<T> {
        Detector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            count(records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            count(null);
            super.reportUntracedLeak(resourceType);
        }
    }
}
