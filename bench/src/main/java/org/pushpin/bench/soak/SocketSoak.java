package org.pushpin.bench.soak;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pushpin.bench.load.Log;
import org.pushpin.bench.load.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak over real sockets: against a running server (its own process) whose origin is {@link SoakOrigin}, it
 * keeps {@code n} clients held (long-polls and SSE streams, spread over rooms) with constant churn, publishes
 * numbered messages to every room at a steady rate, and sends fault requests among them, for a number of
 * minutes. It checks that nothing is lost ({@link Rules}), that fault requests get a {@code 502} or a cut and
 * disturb nobody else, that the server's memory stays flat (samples after a warm-up against the last one), that
 * once every client left the server holds no more per-connection objects than before, and that its log has no
 * leak report. Prints {@code SAMPLE} and {@code RESULT key=value} lines and PASS or FAIL
 * ({@code scripts/bench-soak.sh} runs it). Exit status 0 on PASS.
 */
@Command(name = "socket-soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Churn, publishes and origin faults against a running server; checks nothing is lost.")
public final class SocketSoak implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "the server's client port")
    int port;
    @Option(names = "--control", required = true, description = "the server's HTTP control API port")
    int control;
    @Option(names = "--pid", required = true, description = "the server's process (RSS, jcmd)")
    long pid;
    @Option(names = "--server-log", required = true, description = "the server's log (leak reports)")
    Path serverLog;
    @Option(names = "--minutes", description = "steady-state minutes after the ramp-up (default: ${DEFAULT-VALUE})")
    double minutes = 10;
    @Option(names = "--n", description = "clients held (default: ${DEFAULT-VALUE})")
    int n = 15_000;
    @Option(names = "--rooms", description = "rooms (default: n/100)")
    int rooms;
    @Option(names = "--poll-share", description = "share of the clients that long-poll (default: ${DEFAULT-VALUE})")
    double pollShare = 0.1;
    @Option(names = "--churn", description = "share of the held clients closed and replaced each second "
            + "(default: ${DEFAULT-VALUE})")
    double churn = 0.01;
    @Option(names = "--faults-per-s", description = "fault requests per second (default: ${DEFAULT-VALUE})")
    double faultsPerSecond = 10;
    @Option(names = "--publishes-per-s", description = "numbered messages to every room per second "
            + "(default: ${DEFAULT-VALUE})")
    double publishesPerSecond = 2;
    @Option(names = "--window-s", description = "delivery window of the rules (default: ${DEFAULT-VALUE})")
    double windowSeconds = 10;
    @Option(names = "--connect-rate", description = "connects per second (default: ${DEFAULT-VALUE})")
    int connectRate = 1000;
    @Option(names = "--max-pending", description = "connects not yet held (default: ${DEFAULT-VALUE})")
    int maxPending = 500;
    @Option(names = "--sample-s", description = "seconds between memory samples (default: ${DEFAULT-VALUE})")
    int sampleSeconds = 60;
    @Option(names = "--warmup-s", description = "steady-state seconds before the memory baseline "
            + "(default: ${DEFAULT-VALUE})")
    int warmupSeconds = 60;
    @Option(names = "--heap-slack-mb", description = "allowed live-heap growth (default: ${DEFAULT-VALUE})")
    long heapSlackMb = 16;
    @Option(names = "--rss-slack-mb", description = "allowed RSS growth (default: ${DEFAULT-VALUE})")
    long rssSlackMb = 64;
    @Option(names = "--count-slack", description = "allowed per-connection objects left after all clients left, "
            + "above the count before the soak (default: ${DEFAULT-VALUE})")
    long countSlack = 1000;
    @Option(names = "--fault-timeout-s", description = "a fault request not ended by then hung "
            + "(default: ${DEFAULT-VALUE})")
    long faultTimeoutSeconds = 30;
    @Option(names = "--sources", description = "source addresses 127.0.0.1..K (default: ${DEFAULT-VALUE})")
    int sources = 16;
    @Option(names = "--threads", description = "client event loops (default: cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--result", description = "append the SAMPLE and RESULT lines to this file")
    Path result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SocketSoak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rooms <= 0) {
            rooms = Math.max(1, n / 100);
        }
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(threads);
        Tally tally = new Tally();
        // room for the run, the ramp-up and the end, at the publish rate
        int capacity = (int) ((minutes * 60 + 1800) * publishesPerSecond) + 100;
        PublishLog publishLog = new PublishLog(capacity);
        Rules rules = new Rules(publishLog, (long) (windowSeconds * 1e9), tally);
        Population population = new Population(group, transport, new InetSocketAddress("127.0.0.1", port), sources,
                rules, n, (int) Math.round(n * pollShare), maxPending, faultTimeoutSeconds);
        ServerProbe probe = new ServerProbe(pid, port, control, serverLog);
        NumberedPublisher publisher = new NumberedPublisher(group, transport, control, rooms, publishesPerSecond,
                publishLog, tally);
        Churn churner = new Churn(population, n, connectRate, churn, faultsPerSecond);
        List<String> lines = new ArrayList<>();
        try {
            Log.line("socket soak: %,d clients (%.0f%% long-polls), %d rooms, %.0f min, churn %.1f%%/s, %.0f faults/s, "
                            + "%.0f publishes/s, window %.0f s, %s", n, pollShare * 100, rooms, minutes, churn * 100,
                    faultsPerSecond, publishesPerSecond, windowSeconds, transport.name());
            ServerProbe.Counts base = probe.counts();
            ServerProbe.Sample idle = probe.sample(0, 0);
            Log.line("server before: RSS %.1f MB, live heap %.1f MB, %s", idle.rssKb() / 1024.0,
                    idle.heapKb() / 1024.0, base);
            publisher.start();
            churner.start();
            long rampStart = System.nanoTime();
            while (population.held() < n * 0.99) {
                if (System.nanoTime() - rampStart > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("ramp-up: only " + population.held() + " held after 5 min");
                }
                Thread.sleep(200);
            }
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            Log.line("ramp-up: %,d held after %.1f s; churn and faults start", population.held(), rampSeconds);
            churner.steady();
            List<ServerProbe.Sample> samples = steadyState(probe, population, churner, tally, publishLog);
            ServerProbe.Counts end = endOfRun(population, churner, publisher, probe);
            ServerProbe.Sample after = probe.sample(minutes, 0);
            long connectionsAfter = probe.connections();
            probe.exercise(500);
            Thread.sleep(2000);
            long leaks = probe.leakReports();
            Verdict v = new Verdict(this, tally, publisher, population, samples, base, end, leaks, connectionsAfter);
            lines.addAll(v.lines(idle, after, rampSeconds));
            lines.forEach(System.out::println);
            Log.line("%s", v.pass() ? "PASS" : "FAIL");
            return v.pass() ? 0 : 1;
        } finally {
            churner.stop();
            publisher.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (result != null && !lines.isEmpty()) {
                Files.write(result, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    /** Runs the steady state, sampling memory every {@link #sampleSeconds} and logging progress. */
    private List<ServerProbe.Sample> steadyState(ServerProbe probe, Population population, Churn churner,
                                                 Tally tally, PublishLog publishLog) throws Exception {
        List<ServerProbe.Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        long nextSample = start;
        long nextProgress = start + 10_000_000_000L;
        while (true) {
            long now = System.nanoTime();
            if (now - nextSample >= 0) {
                ServerProbe.Sample s = probe.sample((now - start) / 60e9, population.held());
                samples.add(s);
                Log.line("sample %.1f min: %,d held, server RSS %.1f MB, live heap %.1f MB", s.minutes(), s.held(),
                        s.rssKb() / 1024.0, s.heapKb() / 1024.0);
                nextSample += sampleSeconds * 1_000_000_000L;
            }
            if (now - end >= 0) {
                return samples;
            }
            if (now - nextProgress >= 0) {
                Log.line("  %.1f min: %,d held, %d pending, %,d retired, %,d streams opened, messages %,d sent, "
                                + "%,d received, %,d owed (checked), %d lost, %d faults, %d violations",
                        (now - start) / 60e9, population.held(), population.pending(), population.retiredCount(),
                        tally.streamsOpened.sum(), publishLog.sent(), tally.received.sum(), tally.required.sum(),
                        tally.lost.sum() + tally.pollLost.sum(), tally.faultsTotal(), tally.violations());
                nextProgress += 10_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(nextSample - now, Math.min(end - now, nextProgress - now)) / 1_000_000));
        }
    }

    /**
     * Stops churn and faults, lets the fault requests and the connects in flight end, stops publishing, waits one
     * window for the last deliveries, closes every client (checking each), waits until the server has no client
     * connection left and counts its per-connection objects.
     */
    private ServerProbe.Counts endOfRun(Population population, Churn churner, NumberedPublisher publisher,
                                        ServerProbe probe) throws Exception {
        churner.stop();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(faultTimeoutSeconds + SoakClient.HOLD_TIMEOUT_S);
        while ((population.faultsInFlight() > 0 || population.pending() > 0) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        publisher.stop();
        Thread.sleep((long) (windowSeconds * 1000));
        List<ChannelFuture> closed = churner.retireAll();
        for (ChannelFuture f : closed) {
            f.await(10, TimeUnit.SECONDS);
        }
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (probe.connections() > 1 && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        ServerProbe.Counts end = probe.counts();
        Log.line("after every client left: %s", end);
        return end;
    }

    String describe() {
        return String.format(Locale.ROOT, "n=%d rooms=%d minutes=%s poll_share=%s churn_per_s=%s faults_per_s=%s "
                        + "publishes_per_s=%s window_s=%s", n, rooms, minutes, pollShare, churn, faultsPerSecond,
                publishesPerSecond, windowSeconds);
    }
}
