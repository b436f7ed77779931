package org.pushpin.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopChannelTest {
    private static final class Sub implements Subscriber {
        int got;
        Runnable onDeliver = () -> { };

        @Override
        public void deliver(String channel, Published published) {
            got++;
            onDeliver.run();
        }
    }

    private static Set<Sub> delivered(LoopChannel lc, List<Sub> all) {
        all.forEach(s -> s.got = 0);
        lc.deliver(null, Integer.MAX_VALUE);
        Set<Sub> out = new HashSet<>();
        for (Sub s : all) {
            assertThat(s.got).isLessThanOrEqualTo(1);
            if (s.got == 1) {
                out.add(s);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 40, 1000})
    void randomAddsAndRemovesMatchASet(int population) {
        Random rnd = new Random(population);
        LoopChannel lc = new LoopChannel("c", null);
        List<Sub> all = new ArrayList<>();
        for (int i = 0; i < population; i++) {
            all.add(new Sub());
        }
        Set<Sub> expected = new LinkedHashSet<>();
        for (int step = 0; step < population * 20; step++) {
            Sub s = all.get(rnd.nextInt(population));
            if (rnd.nextBoolean()) {
                assertThat(lc.add(s)).isEqualTo(expected.add(s));
            } else {
                assertThat(lc.remove(s)).isEqualTo(expected.remove(s));
            }
            assertThat(lc.live()).isEqualTo(expected.size());
            if (step % 97 == 0) {
                assertThat(delivered(lc, all)).isEqualTo(expected);
            }
        }
        assertThat(delivered(lc, all)).isEqualTo(expected);
        for (Sub s : all) {
            lc.remove(s);
        }
        assertThat(lc.live()).isZero();
        assertThat(delivered(lc, all)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 200})
    void removalsDuringDeliveryAreHonouredAndCompacted(int n) {
        LoopChannel lc = new LoopChannel("c", null);
        List<Sub> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Sub s = new Sub();
            all.add(s);
            lc.add(s);
        }
        // The first subscriber removes itself and every odd one; the late joiner is not delivered this time.
        Sub late = new Sub();
        all.get(0).onDeliver = () -> {
            lc.remove(all.get(0));
            for (int i = 1; i < n; i += 2) {
                lc.remove(all.get(i));
            }
            lc.add(late);
        };
        int count = lc.deliver(null, Integer.MAX_VALUE);
        assertThat(all.get(0).got).isEqualTo(1);
        for (int i = 1; i < n; i++) {
            assertThat(all.get(i).got).as("subscriber %d", i).isEqualTo(i % 2 == 0 ? 1 : 0);
        }
        assertThat(late.got).isZero();
        assertThat(count).isEqualTo(1 + (n - 1) / 2);
        assertThat(lc.walking()).isFalse();
        all.get(0).onDeliver = () -> { };
        List<Sub> everyone = new ArrayList<>(all);
        everyone.add(late);
        Set<Sub> expected = new HashSet<>();
        for (int i = 2; i < n; i += 2) {
            expected.add(all.get(i));
        }
        expected.add(late);
        assertThat(delivered(lc, everyone)).isEqualTo(expected);
        assertThat(lc.live()).isEqualTo(expected.size());
        for (Sub s : expected) {
            assertThat(lc.remove(s)).isTrue();
        }
        assertThat(lc.live()).isZero();
    }

    @Test
    void capLimitsDeliveries() {
        LoopChannel lc = new LoopChannel("c", null);
        for (int i = 0; i < 5; i++) {
            lc.add(new Sub());
        }
        assertThat(lc.deliver(null, 3)).isEqualTo(3);
    }
}
