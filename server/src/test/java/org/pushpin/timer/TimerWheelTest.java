package org.pushpin.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerWheelTest {
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    private TimerWheel wheel() throws Exception {
        return onLoop(() -> TimerWheel.of(loop));
    }

    /** Records when it fired (nanoTime) and counts down a latch. */
    private static final class Probe extends TimerWheel.Timer {
        final AtomicInteger fired = new AtomicInteger();
        final CountDownLatch latch;
        volatile long firedAt;

        Probe(CountDownLatch latch) {
            this.latch = latch;
        }

        @Override
        protected void onTimeout() {
            firedAt = System.nanoTime();
            fired.incrementAndGet();
            latch.countDown();
        }
    }

    @Test
    void oneWheelPerLoopAndOnlyOnItsThread() throws Exception {
        TimerWheel w = wheel();
        assertThat(wheel()).isSameAs(w);
        assertThatThrownBy(() -> TimerWheel.of(loop)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.schedule(new Probe(new CountDownLatch(1)), 10))
                .isInstanceOf(IllegalStateException.class);
        EventLoop other = new DefaultEventLoop();
        try {
            TimerWheel w2 = other.submit(() -> TimerWheel.of(other)).get(5, TimeUnit.SECONDS);
            assertThat(w2).isNotSameAs(w);
        } finally {
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void firesOnceAfterAtLeastTheDelay() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TimerWheel w = TimerWheel.withClock(loop, now::get);
        Probe p = new Probe(new CountDownLatch(1));
        onLoop(() -> {
            w.schedule(p, 300);
            return null;
        });
        assertThat(p.isScheduled()).isTrue();
        advanceAndTick(w, now, 299);
        assertThat(p.fired.get()).as("not before the delay").isZero();
        advanceAndTick(w, now, 1 + TimerWheel.TICK_MILLIS);
        assertThat(p.fired.get()).as("by the first tick after the delay").isEqualTo(1);
        assertThat(p.isScheduled()).isFalse();
        // Later ticks, up to a whole turn of the wheel later, do not fire it again.
        for (int i = 0; i < 4; i++) {
            advanceAndTick(w, now, TimerWheel.TICK_MILLIS);
        }
        advanceAndTick(w, now, 1024 * TimerWheel.TICK_MILLIS);
        assertThat(p.fired.get()).isEqualTo(1);
        assertThat(onLoop(w::size)).isZero();
        assertThat(onLoop(w::ticking)).as("no tick task while empty").isFalse();
    }

    @Test
    void zeroDelayFiresOnNextTick() throws Exception {
        TimerWheel w = wheel();
        CountDownLatch latch = new CountDownLatch(1);
        Probe p = new Probe(latch);
        onLoop(() -> {
            w.schedule(p, 0);
            return null;
        });
        assertThat(latch.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancelPreventsFiring() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TimerWheel w = TimerWheel.withClock(loop, now::get);
        Probe p = new Probe(new CountDownLatch(1));
        Probe keep = new Probe(new CountDownLatch(1));
        onLoop(() -> {
            w.schedule(p, 100);
            w.schedule(keep, 100);
            w.cancel(p);
            w.cancel(p); // no-op
            return null;
        });
        assertThat(p.isScheduled()).isFalse();
        assertThat(onLoop(w::size)).isEqualTo(1);
        advanceAndTick(w, now, TimerWheel.TICK_MILLIS);
        assertThat(keep.fired.get()).isEqualTo(1);
        // A whole turn later (every slot passed once), the cancelled one has still not fired.
        advanceAndTick(w, now, 1024 * TimerWheel.TICK_MILLIS);
        assertThat(p.fired.get()).isZero();
        assertThat(onLoop(w::size)).isZero();
    }

    @Test
    void rescheduleMovesTheTimer() throws Exception {
        TimerWheel w = wheel();
        Probe p = new Probe(new CountDownLatch(1));
        long start = System.nanoTime();
        onLoop(() -> {
            w.schedule(p, 100);
            w.schedule(p, 700);
            return w.size();
        });
        assertThat(onLoop(w::size)).isEqualTo(1);
        assertThat(p.latch.await(3, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(p.firedAt - start)).isGreaterThanOrEqualTo(700);
        assertThat(p.fired.get()).isEqualTo(1);

        // and earlier
        Probe q = new Probe(new CountDownLatch(1));
        long start2 = System.nanoTime();
        onLoop(() -> {
            w.schedule(q, 60_000);
            w.schedule(q, 50);
            return null;
        });
        assertThat(q.latch.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(q.firedAt - start2)).isBetween(50L, 1500L);
    }

    @Test
    void manyTimersInOrderOfTheirTicks() throws Exception {
        TimerWheel w = wheel();
        int n = 10_000;
        CountDownLatch latch = new CountDownLatch(n);
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            probes.add(new Probe(latch));
        }
        long start = System.nanoTime();
        onLoop(() -> {
            for (int i = 0; i < n; i++) {
                w.schedule(probes.get(i), 50 + (i % 4) * 250L);
            }
            return null;
        });
        assertThat(onLoop(w::size)).isEqualTo(n);
        assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            Probe p = probes.get(i);
            assertThat(p.fired.get()).isEqualTo(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(p.firedAt - start)).isGreaterThanOrEqualTo(50 + (i % 4) * 250L);
        }
        assertThat(onLoop(w::size)).isZero();
    }

    @Test
    void callbackMayCancelAndRescheduleOthers() throws Exception {
        TimerWheel w = wheel();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(1);
        TimerWheel.Timer victim = new TimerWheel.Timer() {
            @Override
            protected void onTimeout() {
                log.add("victim");
            }
        };
        TimerWheel.Timer again = new TimerWheel.Timer() {
            int runs;

            @Override
            protected void onTimeout() {
                log.add("again" + runs);
                if (++runs < 3) {
                    w.schedule(this, 0);
                } else {
                    done.countDown();
                }
            }
        };
        TimerWheel.Timer killer = new TimerWheel.Timer() {
            @Override
            protected void onTimeout() {
                log.add("killer");
                w.cancel(victim);
            }
        };
        onLoop(() -> {
            w.schedule(killer, 10);
            w.schedule(victim, 10); // same tick: may be in the list being fired
            w.schedule(again, 10);
            return null;
        });
        assertThat(done.await(3, TimeUnit.SECONDS)).isTrue();
        assertThat(log).contains("killer", "again0", "again1", "again2");
        // Fired in the order they were scheduled within a slot is not promised; the victim fires only if it came
        // first; either way nothing fires twice.
        assertThat(log.stream().filter("victim"::equals).count()).isLessThanOrEqualTo(1);
        assertThat(onLoop(w::size)).isZero();
    }

    @Test
    void exceptionInCallbackDoesNotStopOthers() throws Exception {
        TimerWheel w = wheel();
        Probe p = new Probe(new CountDownLatch(1));
        onLoop(() -> {
            w.schedule(new TimerWheel.Timer() {
                @Override
                protected void onTimeout() {
                    throw new IllegalStateException("boom");
                }
            }, 10);
            w.schedule(p, 10);
            return null;
        });
        assertThat(p.latch.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void delaysLongerThanOneTurnWaitForTheirRound() throws Exception {
        TimerWheel w = wheel();
        Probe far = new Probe(new CountDownLatch(1));
        Probe near = new Probe(new CountDownLatch(1));
        long turnMillis = 1024 * TimerWheel.TICK_MILLIS;
        onLoop(() -> {
            // Same slot as "near", one and two turns later.
            w.schedule(far, 200 + turnMillis);
            w.schedule(near, 200);
            return null;
        });
        assertThat(near.latch.await(2, TimeUnit.SECONDS)).isTrue();
        // "far" shares the slot of "near" (or an earlier one: it was scheduled first), so the tick that fired "near"
        // has passed over it; once that tick is done (onLoop runs after it), "far" must still be waiting.
        assertThat(onLoop(far.fired::get)).isZero();
        assertThat(far.isScheduled()).isTrue();
        assertThat(onLoop(w::size)).isEqualTo(1);
        assertThat(onLoop(w::ticking)).isTrue();
        onLoop(() -> {
            w.cancel(far);
            return null;
        });
        assertThat(onLoop(w::size)).isZero();
    }

    @Test
    void wrapsAroundTheWheelWithADrivenClock() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TimerWheel w = TimerWheel.withClock(loop, now::get);
        long turnMillis = 1024 * TimerWheel.TICK_MILLIS;
        Probe near = new Probe(new CountDownLatch(1));
        Probe oneTurn = new Probe(new CountDownLatch(1));
        Probe threeTurns = new Probe(new CountDownLatch(1));
        onLoop(() -> {
            w.schedule(near, 200);
            w.schedule(oneTurn, 200 + turnMillis);
            w.schedule(threeTurns, 200 + 3 * turnMillis);
            return null;
        });
        advanceAndTick(w, now, 250);
        assertThat(near.fired.get()).isEqualTo(1);
        assertThat(oneTurn.fired.get()).isZero();
        advanceAndTick(w, now, turnMillis - 250);
        assertThat(oneTurn.fired.get()).isZero();
        advanceAndTick(w, now, 250);
        assertThat(oneTurn.fired.get()).isEqualTo(1);
        assertThat(threeTurns.fired.get()).isZero();
        // A late tick (the loop was busy for more than a turn) still fires everything that is due, once.
        advanceAndTick(w, now, 2 * turnMillis + 5_000);
        assertThat(threeTurns.fired.get()).isEqualTo(1);
        assertThat(onLoop(w::size)).isZero();
    }

    private void advanceAndTick(TimerWheel w, AtomicLong now, long millis) throws Exception {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        onLoop(() -> {
            w.tick();
            return null;
        });
    }
}
