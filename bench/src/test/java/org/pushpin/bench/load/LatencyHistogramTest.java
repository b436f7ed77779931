package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramTest {

    @Test
    void emptyHasZeroes() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.count()).isZero();
        assertThat(h.percentileMicros(0.99)).isZero();
        assertThat(h.maxMicros()).isZero();
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertThat(h.percentileMicros(0.5)).isEqualTo(50);
        assertThat(h.percentileMicros(0.9)).isEqualTo(90);
        assertThat(h.percentileMicros(0.99)).isEqualTo(99);
        assertThat(h.percentileMicros(1.0)).isEqualTo(100);
        assertThat(h.maxMicros()).isEqualTo(100);
    }

    @Test
    void percentilesOfUniformValuesAreWithinTheBucketError() {
        LatencyHistogram h = new LatencyHistogram();
        Random random = new Random(7);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + random.nextInt(2_000_000); // up to 2 s
            h.record(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat((double) h.percentileMicros(q)).as("p%s", q * 100)
                    .isGreaterThanOrEqualTo(exact).isCloseTo(exact, within(exact / 64.0 + 1));
        }
        assertThat(h.maxMicros()).isEqualTo(values[values.length - 1]);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 129, 255, 256, 1000, 65_535, 1_000_000, 3_600_000_000L})
    void everyValueFallsInABucketThatHoldsIt(long v) {
        int i = LatencyHistogram.index(v);
        assertThat(LatencyHistogram.upper(i)).isGreaterThanOrEqualTo(v);
        if (i > 0) {
            assertThat(LatencyHistogram.upper(i - 1)).isLessThan(v);
        }
    }

    @Test
    void nanosAreRecordedAsMicrosAndNegativeAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(1_500_000);
        h.recordNanos(-5);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.maxMs()).isEqualTo(1.5);
        assertThat(h.percentileMicros(0.5)).isZero();
    }

    @Test
    void addMergesCountsAndMax() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20);
        b.record(30);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.maxMicros()).isEqualTo(30);
        assertThat(a.percentileMicros(0.5)).isEqualTo(20);
    }
}
