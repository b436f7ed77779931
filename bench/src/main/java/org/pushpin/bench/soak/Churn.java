package org.pushpin.bench.soak;

import io.netty.channel.ChannelFuture;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that drives the {@link Population}, ten times a second: frees the slots of clients that ended,
 * opens clients into free slots (at most a tenth of the connect rate per tick) and, once {@link #steady()}, closes
 * the churn share of the held clients every second and sends fault requests, the kinds in turn.
 */
final class Churn {
    private static final FaultKind[] KINDS = FaultKind.values();

    private final Population population;
    private final int perTick;
    private final int perSecond;
    private final double faultsPerTick;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-churn");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean steady;
    private long ticks;
    private double faultCredit;
    private int nextKind;

    Churn(Population population, int n, int connectRate, double churnShare, double faultsPerSecond) {
        this.population = population;
        this.perTick = Math.max(1, connectRate / 10);
        this.perSecond = (int) Math.round(n * churnShare);
        this.faultsPerTick = faultsPerSecond / 10;
    }

    void start() {
        ticker.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** From now on, churn and faults. */
    void steady() {
        steady = true;
    }

    private void tick() {
        try {
            population.reap();
            if (steady && ++ticks % 10 == 0) {
                population.churn(perSecond);
            }
            population.topUp(perTick);
            if (steady) {
                for (faultCredit += faultsPerTick; faultCredit >= 1; faultCredit--) {
                    population.fault(KINDS[nextKind++ % KINDS.length]);
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace(); // a tick that throws would end the schedule
        }
    }

    /** Stops the ticks (and so churn, faults and top-ups); returns once the last tick ended. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** After {@link #stop()}: closes every client; their close futures. */
    List<ChannelFuture> retireAll() {
        return population.retireAll();
    }
}
