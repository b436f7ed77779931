package org.pushpin.bench.load;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator: holds N stream connections or WebSockets through a running server (ours or the reference)
 * whose origin is {@code org.pushpin.bench.memory.SseHoldOrigin}, publishes timestamped messages to the server's HTTP control API
 * from this same process and measures what {@link LoadRun} lists. {@code scripts/bench-side-by-side.sh} runs it
 * against both servers.
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.load.LoadGen --name ours --ports 19081 \
 *     --control 19161 --pid 1234 --jvm --n 2000 --rooms 20 [--mode sse|stream|poll|ws|ws_over_http] [--result FILE]</pre>
 * Against nginx with Nchan ({@code scripts/lib/nchan.sh}): {@code --publish nchan} with {@code --control} the port of
 * its publisher location; the clients are the same.
 * For {@code ws_over_http} the server's routes must send {@code /wsh/} to the origin with {@code over_http}, e.g.
 * {@code *,path_beg=/wsh/ 127.0.0.1:ORIGIN,over_http} before {@code * 127.0.0.1:ORIGIN}.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Holds N connections through a GRIP proxy and measures memory, latency and throughput.")
public final class LoadGen implements Callable<Integer> {
    @Option(names = "--name", description = "label of this server in the results (default: ${DEFAULT-VALUE})")
    String name = "server";
    @Option(names = "--ports", split = ",", required = true, description = "the server's client ports")
    List<Integer> ports;
    @Option(names = "--control", required = true, description = "the server's HTTP control API port (publish)")
    int control;
    @Option(names = "--publish", description = "http: the control API; pull: the ZeroMQ PULL input at the control "
            + "port - 1 (5560 + offset, as the stock pushpin.conf); nchan: nginx's Nchan publisher location on the "
            + "control port, POST /pub/room-a,room-b,... (SSE, stream and poll modes) (default: ${DEFAULT-VALUE})")
    String publishVia = "http";
    @Option(names = "--origin", description = "the origin's port, to read its re-poll timings in poll mode "
            + "(GET /repoll); 0 = none (default: ${DEFAULT-VALUE})")
    int originPort;
    @Option(names = "--pid", description = "root of the server's process tree (RSS, CPU); 0 = do not measure")
    long pid;
    @Option(names = "--jvm", description = "the server is a JVM: also measure its live heap (jcmd)")
    boolean jvm;
    @Option(names = "--n", description = "connections to hold (default: ${DEFAULT-VALUE})")
    int n = 1000;
    @Option(names = "--rooms", description = "channels room-0..room-(R-1); client i is in room-(i %% R) "
            + "(default: ${DEFAULT-VALUE})")
    int rooms = 10;
    @Option(names = "--mode", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); ws: WebSocket "
            + "passthrough to /ws/i, ws_over_http: WebSocket to /wsh/i (a route with over_http)")
    Mode mode = Mode.SSE;
    @Option(names = "--sources", description = "source addresses 127.0.0.1..127.0.0.K (default: ${DEFAULT-VALUE})")
    int sources = 16;
    @Option(names = "--connect-rate", description = "connects per second, 0 = unpaced (default: ${DEFAULT-VALUE})")
    double connectRate;
    @Option(names = "--max-in-flight", description = "connects not yet held (default: ${DEFAULT-VALUE})")
    int maxInFlight = 200;
    @Option(names = "--phases", split = ",", description = "of ${COMPLETION-CANDIDATES} (default: all)")
    Set<LoadRun.Phase> phaseList;
    @Option(names = "--curve-points", description = "samples while connecting (default: ${DEFAULT-VALUE})")
    int curvePoints = 10;
    @Option(names = "--plain-samples", description = "plain requests per latency figure (default: ${DEFAULT-VALUE})")
    int plainSamples = 200;
    @Option(names = "--idle-cpu-s", description = "idle CPU window, s (default: ${DEFAULT-VALUE})")
    int idleCpuSeconds = 10;
    @Option(names = "--fanout-rounds", description = "(default: ${DEFAULT-VALUE})")
    int fanoutRounds = 5;
    @Option(names = "--fanout-interval-s", description = "pause after each fanout round (default: ${DEFAULT-VALUE})")
    int fanoutIntervalSeconds = 3;
    @Option(names = "--fault-after-round", description = "run --fault-cmd after this fanout round, 0 = never "
            + "(default: ${DEFAULT-VALUE})")
    int faultAfterRound = 0;
    @Option(names = "--fault-cmd", description = "a shell command injecting a fault (e.g. restarting Redis) that "
            + "returns once the servers are ready again; the rounds after it count as any other")
    String faultCommand = "";
    @Option(names = "--step-s", description = "length of a throughput step, s (default: ${DEFAULT-VALUE})")
    double stepSeconds = 4;
    @Option(names = "--grace-ms", description = "time after a step for its last deliveries (default: ${DEFAULT-VALUE})")
    long graceMillis = 1000;
    @Option(names = "--rate-all", description = "first target, deliveries/s to all rooms (default: ${DEFAULT-VALUE})")
    long rateAll = 25_000;
    @Option(names = "--rate-one", description = "first target, deliveries/s to one room (default: ${DEFAULT-VALUE})")
    long rateOne = 10_000;
    @Option(names = "--max-steps", description = "throughput steps per ramp (default: ${DEFAULT-VALUE})")
    int maxSteps = 10;
    @Option(names = "--threads", description = "client event loops (default: cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--result", description = "append RESULT and CURVE lines to this file")
    Path result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGen()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    Set<LoadRun.Phase> phases() {
        return phaseList == null ? EnumSet.allOf(LoadRun.Phase.class) : EnumSet.copyOf(phaseList);
    }

    @Override
    public Integer call() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(threads);
        Deliveries deliveries = new Deliveries();
        ConnectionHolder holder = new ConnectionHolder(group, transport, ports, sources, mode, deliveries);
        InetSocketAddress controlAddress = new InetSocketAddress("127.0.0.1", control);
        Publisher grip = null;
        RoomPublisher publisher;
        switch (publishVia) {
            case "http", "pull" -> {
                grip = new Publisher(group, transport, controlAddress, mode);
                if (publishVia.equals("pull")) {
                    grip.usePull(control - 1);
                }
                publisher = grip;
            }
            case "nchan" -> {
                if (mode.websocket()) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--publish nchan: no WebSocket modes (their subscriptions are confirmed by GRIP probes)");
                }
                publisher = new NchanPublisher(group, transport, controlAddress);
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--publish: http, pull or nchan, not " + publishVia);
        }
        PlainProbe plain = new PlainProbe(new InetSocketAddress("127.0.0.1", ports.get(0)));
        ProcessTree tree = pid > 0 ? new ProcessTree(pid) : null;
        Log.line("%s: %d %s clients, %d rooms, ports %s, control %d, %s client transport, server tree %s", name, n,
                mode, rooms, ports, control, transport.name(),
                tree == null ? "-" : tree.processes().size() + " processes");
        LoadRun run = new LoadRun(this, holder, publisher, grip, deliveries, plain, tree);
        try {
            boolean ok = run.run();
            return ok ? 0 : 1;
        } finally {
            run.figures().write(result);
            holder.closeAll();
            publisher.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
