package org.pushpin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pushpin.testing.Await;

/**
 * The marks of {@link HeapPressure} (docs/reliability.md#heap-pressure): set from the high mark of the maximum heap
 * in use after a collection, kept until a collection leaves less than the low mark, so that it does not flap around
 * one figure. A whole server under a small heap: it.HeapPressureTest.
 */
class HeapPressureTest {
    private static final long MAX = 1_000_000;

    @Test
    void setAtTheHighMarkAndClearedOnlyBelowTheLowOne() {
        HeapPressure p = HeapPressure.unattached(90, 80, MAX);
        assertThat(p.high()).isFalse();
        p.afterCollection(899_999);
        assertThat(p.high()).isFalse();
        p.afterCollection(900_000);
        assertThat(p.high()).isTrue();
        assertThat(p.percentAfterGc()).isEqualTo(90);
        p.afterCollection(850_000); // between the marks: stays set
        assertThat(p.high()).isTrue();
        p.afterCollection(800_000);
        assertThat(p.high()).isTrue();
        p.afterCollection(799_999);
        assertThat(p.high()).isFalse();
        p.afterCollection(850_000); // between the marks: stays clear
        assertThat(p.high()).isFalse();
    }

    @Test
    void aWatchedOneHearsOfThisJvmsCollections() {
        assertThat(HeapPressure.off().high()).isFalse();
        HeapPressure watched = HeapPressure.watch(100, 90);
        try {
            // the figure comes with the notification of a collection (this test JVM holds something)
            Await.until(Duration.ofSeconds(10), () -> {
                System.gc();
                return watched.usedAfterGc() > 0;
            }, "a collection heard of");
            assertThat(watched.high()).isFalse();
        } finally {
            watched.close();
        }
    }
}
