package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateStepperTest {

    /** Runs a stepper against a server that passes every rate up to {@code capacity}. */
    private static List<Long> tried(long start, long capacity, int maxSteps, RateStepper[] out) {
        RateStepper s = new RateStepper(start, 0.1, maxSteps);
        List<Long> rates = new ArrayList<>();
        while (!s.done()) {
            rates.add(s.current());
            s.report(s.current() <= capacity);
        }
        out[0] = s;
        return rates;
    }

    @ParameterizedTest(name = "start {0}, capacity {1}")
    @CsvSource({
            "1000, 5000, 1000;2000;4000;8000;6000;5000;5500, 5000",
            "1000, 100,  1000;500;250;125;62;93;109;101, 93",
            "1000, 1000, 1000;2000;1500;1250;1125;1062, 1000",
    })
    void doublesThenBisects(long start, long capacity, String expected, long best) {
        RateStepper[] s = new RateStepper[1];
        List<Long> rates = tried(start, capacity, 8, s);
        List<Long> want = new ArrayList<>();
        for (String v : expected.split(";")) {
            want.add(Long.parseLong(v));
        }
        assertThat(rates).isEqualTo(want);
        assertThat(s[0].best()).isEqualTo(best);
    }

    @ParameterizedTest
    @CsvSource({"1000, 1000000, 3", "1000, 3000, 20"})
    void stopsAtTheStepLimitOrThePrecision(long start, long capacity, int maxSteps) {
        RateStepper[] s = new RateStepper[1];
        List<Long> rates = tried(start, capacity, maxSteps, s);
        assertThat(rates.size()).isLessThanOrEqualTo(maxSteps);
        assertThat(s[0].best()).isLessThanOrEqualTo(capacity);
        if (rates.size() < maxSteps) {
            assertThat(s[0].best()).isGreaterThanOrEqualTo((long) (capacity * 0.9));
        }
    }
}
