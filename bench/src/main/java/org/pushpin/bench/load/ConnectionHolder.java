package org.pushpin.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens and holds client connections ({@link HeldClient}s or {@link WsClient}s): client {@code i} asks for
 * {@code /<mode>/i} (so the origin puts it in {@code room-(i % rooms)}) on port {@code ports[i % P]} from source address {@code 127.0.0.(1 + i / P % K)}, so
 * that many connections fit in the ephemeral port range. Connects are paced by a rate and bounded by a number of
 * requests in flight (sent but not yet held), and progress is printed once a second.
 */
final class ConnectionHolder {
    /** Called between connects, with nothing in flight, e.g. to sample the server at N/10 steps. */
    interface Milestone {
        void reached(int held) throws Exception;
    }

    /** How long a client may take from connect to held before it counts as failed. */
    static final long HOLD_TIMEOUT_S = 20;

    private final Bootstrap bootstrap;
    private final List<Integer> ports;
    private final int sources;
    private final Mode mode;
    private final Deliveries deliveries;
    private final List<Connection> clients = new ArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final LongAdder reconnects = new LongAdder();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile Semaphore inFlight;

    ConnectionHolder(EventLoopGroup group, Transport transport, List<Integer> ports, int sources, Mode mode,
                     Deliveries deliveries) {
        this.bootstrap = new Bootstrap().group(group).channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        this.ports = List.copyOf(ports);
        this.sources = sources;
        this.mode = mode;
        this.deliveries = deliveries;
    }

    /**
     * Opens clients {@code base .. base+count-1} and returns once each is held or failed. {@code rate} connects per
     * second (0 = no pacing), at most {@code maxInFlight} unanswered; {@code milestone} runs every {@code every}
     * clients (0 = never). Returns the seconds spent connecting, without the milestones' time.
     */
    double open(int base, int count, double rate, int maxInFlight, int every, Milestone milestone)
            throws Exception {
        Semaphore permits = new Semaphore(maxInFlight);
        inFlight = permits;
        long start = System.nanoTime();
        long paused = 0;
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + paused + (long) (i * 1e9 / rate);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                Log.line("stalled: no answer for 60 s with %d requests in flight", maxInFlight);
                break;
            }
            connect(base + i);
            long now = System.nanoTime();
            if (now >= nextProgress) {
                Log.line("  connecting: %d sent, %d held, %d failed, %.0f held/s", i + 1, held.get(), failed.get(),
                        held.get() / ((now - start - paused) / 1e9));
                nextProgress = now + TimeUnit.SECONDS.toNanos(1);
            }
            if (every > 0 && (i + 1) % every == 0 && i + 1 < count) {
                drain(permits, maxInFlight);
                long t = System.nanoTime();
                milestone.reached(held.get());
                paused += System.nanoTime() - t;
            }
        }
        drain(permits, maxInFlight);
        return (System.nanoTime() - start - paused) / 1e9;
    }

    private static void drain(Semaphore permits, int maxInFlight) throws InterruptedException {
        permits.acquire(maxInFlight);
        permits.release(maxInFlight);
    }

    private void connect(int i) {
        int p = ports.size();
        int port = ports.get(i % p);
        Connection c = mode.websocket()
                ? new WsClient(i, URI.create("ws://127.0.0.1:" + port + mode.pathPrefix + i), this, deliveries)
                : new HeldClient(i, mode, this, deliveries);
        synchronized (clients) {
            clients.add(c);
        }
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + (i / p) % sources), 0);
        ChannelFuture f = bootstrap.clone().handler(c.handler()).connect(target, local);
        c.bind(f.channel());
        f.addListener(x -> {
            if (!x.isSuccess()) {
                c.fail("connect: " + x.cause().getClass().getSimpleName());
            }
        });
        f.channel().eventLoop().schedule(() -> c.fail("not held after " + HOLD_TIMEOUT_S + " s"),
                HOLD_TIMEOUT_S, TimeUnit.SECONDS);
    }

    void held(Connection c) {
        held.incrementAndGet();
        inFlight.release();
    }

    void failed(Connection c, String why) {
        failed.incrementAndGet();
        failures.merge(why, 1, Integer::sum);
        inFlight.release();
    }

    /** A WebSocket counted held at its origin's ready that never got a published probe: failed after all. */
    void unconfirmed(WsClient c) {
        held.decrementAndGet();
        failed.incrementAndGet();
        failures.merge("no probe: subscription not in force", 1, Integer::sum);
    }

    /** WebSockets that are ready (the origin subscribed them) but have not yet got a published probe. */
    List<WsClient> unconfirmed() {
        List<WsClient> waiting = new ArrayList<>();
        synchronized (clients) {
            for (Connection c : clients) {
                if (c instanceof WsClient w && w.isReady() && !w.isConfirmed()) {
                    waiting.add(w);
                }
            }
        }
        return waiting;
    }

    void dropped(Connection c) {
        dropped.incrementAndGet();
    }

    /** A held long-poll's re-poll got a status other than 200; the client closes it next, a drop. */
    void refused(String status) {
        failures.merge("re-poll answered " + status, 1, Integer::sum);
    }

    void reconnected() {
        reconnects.increment();
    }

    /** Held connections per room now ({@code room-(i % rooms)}): who a publish must reach. */
    int[] heldPerRoom(int rooms) {
        int[] n = new int[rooms];
        synchronized (clients) {
            for (Connection c : clients) {
                if (c.isHeld()) {
                    n[c.index() % rooms]++;
                }
            }
        }
        return n;
    }

    int held() {
        return held.get() - dropped.get();
    }

    int failed() {
        return failed.get();
    }

    int dropped() {
        return dropped.get();
    }

    long reconnects() {
        return reconnects.sum();
    }

    Map<String, Integer> failures() {
        return new TreeMap<>(failures);
    }

    void closeAll() throws InterruptedException {
        List<Connection> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
            clients.clear();
        }
        List<ChannelFuture> closed = new ArrayList<>(all.size());
        for (Connection c : all) {
            closed.add(c.close());
        }
        for (ChannelFuture f : closed) {
            f.await(5, TimeUnit.SECONDS);
        }
        held.set(0);
        failed.set(0);
        dropped.set(0);
    }
}
