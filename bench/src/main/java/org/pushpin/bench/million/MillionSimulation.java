package org.pushpin.bench.million;

import io.netty.channel.Channel;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.pushpin.message.PublishItem;

/**
 * One million held SSE connections in one JVM (docs/scaling.md, docs/benchmarks.md#a-million-connections-in-one-jvm): our server, its origin
 * and the clients all in this process over the in-JVM transport. Connects N clients (room {@code i % rooms}, at
 * most {@code -Dmillion.inFlight} waiting for their initial body), then reports the connect time, the live heap
 * per connection (after a full GC, before and after; the client side's share measured apart, see
 * {@link SseClients#calibrateBytesPerClient}) and the time until one message published to every room reached all
 * N clients (counted by the clients; lost must be 0), over {@code -Dmillion.rounds} publishes.
 *
 * <pre>java -Xmx12g -cp bench/target/pushpin-bench.jar org.pushpin.bench.million.MillionSimulation [N] [rooms]</pre>
 * Prints a {@code RESULT key=value ...} line last (scripts/bench-million.sh turns it into a table).
 */
public final class MillionSimulation {
    private static final int IN_FLIGHT = Integer.getInteger("million.inFlight", 2000);
    /**
     * Client loops of their own; 0 (the default): each client runs on one of the server's in-JVM loops and connects
     * to the listener that serves it on that same loop (on 2 cores, more busy threads mostly add wake-ups, and a
     * hand-over between loops costs a task per write; sockets would cost a syscall instead).
     */
    private static final int CLIENT_THREADS = Integer.getInteger("million.clientThreads", 0);
    private static final int ROUNDS = Integer.getInteger("million.rounds", 3);
    /**
     * {@code -Dmillion.mode=ws}: WebSocket passthrough instead of SSE: each client upgrades {@code /ws/i}, the origin
     * (in this JVM) accepts with the GRIP extension and subscribes it with a {@code c:} message; publishes are
     * {@code ws-message} items.
     */
    private static final boolean WEBSOCKET = "ws".equals(System.getProperty("million.mode", "sse"));
    private static final int WARM_UP = 2000;
    private static final long WAIT_NANOS = 60_000_000_000L;

    private MillionSimulation() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        log("%d %s connections, %d rooms; JDK %s; %s", n, WEBSOCKET ? "WebSocket" : "SSE", rooms, System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        HeapMeter heap = new HeapMeter();
        SseClients clients = new SseClients(Math.max(1, CLIENT_THREADS), IN_FLIGHT, WEBSOCKET);
        double clientBytes = clients.calibrateBytesPerClient(Math.min(n, 50_000), heap);
        log("client side: %.0f B of heap per client channel (calibrated)", clientBytes);
        InJvmPushpin pushpin = InJvmPushpin.start(n + WARM_UP + 1000, rooms);
        double originBytes = 0;
        if (WEBSOCKET) {
            originBytes = calibrateOrigin(clients, Math.min(n, 20_000), heap, clientBytes);
            log("origin side: %.0f B of heap per upgraded WebSocket (calibrated)", originBytes);
        }
        if (CLIENT_THREADS == 0) {
            clients.runOn(pushpin.server().inJvmLoops(), pushpin.server()::inJvmAddressOn);
        }

        Channel[] warm = new Channel[WARM_UP];
        clients.open(pushpin.address(), 0, warm, WARM_UP, k -> { });
        fanout(pushpin, clients, rooms, WARM_UP, "warm");
        SseClients.closeAll(warm, WARM_UP);

        long heapBefore = heap.liveBytes();
        long initialsBefore = clients.initials.sum();
        Channel[] channels = new Channel[n];
        long t0 = System.nanoTime();
        boolean complete = clients.open(pushpin.address(), 0, channels, n, k -> log("  %,d connecting/held, %.1f s, "
                + "heap used %d MB", k, (System.nanoTime() - t0) / 1e9, usedMb()));
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        long held = clients.initials.sum() - initialsBefore;
        long failed = n - held;
        log("held %,d/%,d in %.1f s (%.0f connections/s)%s, %d refused", held, n, connectSeconds,
                held / connectSeconds, complete ? "" : " STALLED", clients.failures.sum());

        long heapAfter = heap.liveBytes();
        double perConn = (heapAfter - heapBefore) / (double) held;
        double serverBytes = perConn - clientBytes - originBytes;
        log("live heap after full GC: %d MB before, %d MB after: %.0f B per connection, of which client %.0f B, "
                + "origin %.0f B, server (pushpin + hub + holds) %.0f B", heapBefore >> 20, heapAfter >> 20, perConn,
                clientBytes, originBytes, serverBytes);

        double first = -1;
        double best = Double.MAX_VALUE;
        long lostMax = 0;
        long gcMillis = 0;
        for (int r = 1; r <= ROUNDS; r++) {
            long[] gc0 = HeapMeter.gcCountAndMillis();
            Fanout f = fanout(pushpin, clients, rooms, held, "m" + r);
            long[] gc1 = HeapMeter.gcCountAndMillis();
            log("publish %d: one message to each of %,d rooms reached %,d/%,d clients in %.3f s, lost %d "
                    + "(%d GCs, %d ms)", r, rooms, f.received, held, f.seconds, f.lost(held), gc1[0] - gc0[0],
                    gc1[1] - gc0[1]);
            first = first < 0 ? f.seconds : first;
            best = Math.min(best, f.seconds);
            lostMax = Math.max(lostMax, f.lost(held));
            gcMillis = Math.max(gcMillis, gc1[1] - gc0[1]);
        }
        System.out.printf(Locale.ROOT, "RESULT n=%d rooms=%d held=%d failed=%d connect_s=%.1f conn_per_s=%.0f "
                        + "heap_before_mb=%d heap_after_mb=%d heap_per_conn_b=%.0f client_per_conn_b=%.0f "
                        + "origin_per_conn_b=%.0f server_per_conn_b=%.0f fanout_first_s=%.3f fanout_best_s=%.3f lost=%d gc_ms_max=%d "
                        + "jdk=%s mode=%s%n", n, rooms, held, failed, connectSeconds, held / connectSeconds, heapBefore >> 20,
                heapAfter >> 20, perConn, clientBytes, originBytes, serverBytes, first, best, lostMax, gcMillis,
                System.getProperty("java.version"), WEBSOCKET ? "ws" : "sse");
        // the OS takes the million channels back faster than closing them one by one
        System.exit(failed == 0 && lostMax == 0 ? 0 : 1);
    }

    /**
     * Bytes of live heap the in-JVM origin keeps per upgraded WebSocket (its {@code LocalChannel}, Netty's frame
     * codecs), so that "server / conn" is ours alone: {@code count} clients upgrade straight at the origin
     * (no server between), each waits for its {@code ready}; the heap they add less {@code clientBytes} each.
     */
    static double calibrateOrigin(SseClients clients, int count, HeapMeter heap, double clientBytes)
            throws InterruptedException {
        Channel[] direct = new Channel[count];
        long before = heap.liveBytes();
        long ready = clients.initials.sum();
        clients.open(InJvmPushpin.originAddress(), 50_000_000, direct, count, k -> { });
        long opened = clients.initials.sum() - ready;
        long after = heap.liveBytes();
        SseClients.closeAll(direct, count);
        if (opened != count) {
            throw new IllegalStateException("origin calibration: " + opened + " of " + count + " upgraded");
        }
        return (after - before) / (double) count - clientBytes;
    }

    /** Publishes one message to every room and waits until {@code expected} clients counted it. */
    static Fanout fanout(InJvmPushpin pushpin, SseClients clients, int rooms, long expected, String text)
            throws Exception {
        List<PublishItem> items = InJvmPushpin.onePerRoom(rooms, text, WEBSOCKET);
        long base = clients.messages.sum();
        long t = System.nanoTime();
        pushpin.server().publisher().publish(items);
        long got;
        while ((got = clients.messages.sum() - base) < expected && System.nanoTime() - t < WAIT_NANOS) {
            Thread.sleep(1);
        }
        return new Fanout(got, (System.nanoTime() - t) / 1e9);
    }

    /** What one publish to every room reached. */
    record Fanout(long received, double seconds) {
        long lost(long expected) {
            return Math.max(0, expected - received);
        }
    }

    static long usedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format,
                args));
    }
}
