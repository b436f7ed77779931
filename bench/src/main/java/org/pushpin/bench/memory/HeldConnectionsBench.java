package org.pushpin.bench.memory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per held SSE connection, for one running server (ours or the reference). The server, proxying to
 * {@link SseHoldOrigin}, is started by {@code scripts/bench-memory.sh}; this program opens N client connections,
 * waits until each got its initial body, and measures:
 * <ul>
 *   <li>RSS of the server's whole process tree ({@code --pid}: the process-group leader; all its descendants are
 *       summed: for the reference the runner, condure, zurl, pushpin-proxy, pushpin-handler), after a warm-up and
 *       again with N connections held, without forcing a GC;</li>
 *   <li>with {@code --jvm}: the live heap, {@code jcmd <pid> GC.run} (a full GC with G1) then
 *       {@code jcmd <pid> GC.heap_info} "used", before and after;</li>
 *   <li>delivery: one {@code POST /publish} with one item per room; every connection must get it (lost = 0).</li>
 * </ul>
 * Prints a summary and appends a {@code RESULT key=value ...} line to {@code --result FILE}.
 *
 * <pre>java -cp bench/target/pushpin-bench.jar org.pushpin.bench.memory.HeldConnectionsBench \
 *     --name ours --port 18580 --control 7361 --pid 1234 --n 10000 [--rooms 100] [--jvm] [--result FILE]</pre>
 */
public final class HeldConnectionsBench {
    private static final String MESSAGE_MARK = "data: ";
    private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 100);
    private static final int SOURCE_ADDRESSES = 16;

    private final String name;
    private final int port;
    private final int controlPort;
    private final long pid;
    private final int n;
    private final int rooms;
    private final boolean jvm;
    private final EventLoopGroup group;
    private final boolean epoll = Epoll.isAvailable();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HeldConnectionsBench(Map<String, String> a) {
        name = a.getOrDefault("name", "server");
        port = Integer.parseInt(req(a, "port"));
        controlPort = Integer.parseInt(req(a, "control"));
        pid = Long.parseLong(req(a, "pid"));
        n = Integer.parseInt(a.getOrDefault("n", "10000"));
        rooms = Integer.parseInt(a.getOrDefault("rooms", "100"));
        jvm = a.containsKey("jvm");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()), io);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage("unexpected " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("jvm")) {
                a.put(key, "true");
            } else if (i + 1 < args.length) {
                a.put(key, args[++i]);
            } else {
                usage("missing value for " + args[i]);
            }
        }
        HeldConnectionsBench b = new HeldConnectionsBench(a);
        int rc;
        try {
            rc = b.run(a.get("result"));
        } finally {
            b.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(rc);
    }

    private static String req(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            usage("--" + key + " is required");
        }
        return v;
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: HeldConnectionsBench --name NAME --port P --control P --pid PID "
                + "[--n N] [--rooms R] [--jvm] [--result FILE]");
        System.exit(2);
    }

    private int run(String resultFile) throws Exception {
        log("%s: %d connections, %d rooms, %s client transport, server tree %s", name, n, rooms,
                epoll ? "epoll" : "nio", tree());

        // warm-up: a few held connections and a publish, so first-use allocations are not counted
        List<Conn> warm = open(Math.min(200, n), 1_000_000);
        publishAll("warm");
        awaitCount(warm, c -> c.gotMessage, Duration.ofSeconds(20));
        closeAll(warm);
        Thread.sleep(2000);

        Map<String, Long> rssBefore = rss();
        long heapBefore = jvm ? liveHeapKb() : -1;
        log("before: RSS %s kB total (%s), live heap %s", sum(rssBefore), rssBefore, kb(heapBefore));

        long t0 = System.nanoTime();
        List<Conn> conns = open(n, 0);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        int held = count(conns, c -> c.gotInitial);
        int failed = n - held;
        log("held %d/%d in %.1f s (%d failed)", held, n, connectSeconds, failed);
        if (failed > 0) {
            Map<String, Integer> why = new TreeMap<>();
            for (Conn c : conns) {
                if (!c.gotInitial) {
                    why.merge(c.channel.isActive() ? String.valueOf(c.status) : "closed: " + c.status, 1,
                            Integer::sum);
                }
            }
            log("  failures: %s", why);
        }
        Thread.sleep(2000);

        Map<String, Long> rssAfter = rss();
        long heapAfter = jvm ? liveHeapKb() : -1;
        log("after: RSS %s kB total (%s), live heap %s", sum(rssAfter), rssAfter, kb(heapAfter));
        int stillOpen = count(conns, c -> c.channel.isActive());

        long t1 = System.nanoTime();
        publishAll("m");
        awaitCount(conns, c -> c.gotMessage, Duration.ofSeconds(30 + n / 500));
        double deliverSeconds = (System.nanoTime() - t1) / 1e9;
        int got = count(conns, c -> c.gotMessage);
        int lost = held - got;
        log("publish to %d rooms: %d/%d got it in %.2f s, lost %d", rooms, got, held, deliverSeconds, lost);
        closeAll(conns);

        long deltaRss = sum(rssAfter) - sum(rssBefore);
        double rssPerConn = held > 0 ? deltaRss * 1024.0 / held : Double.NaN;
        double heapPerConn = jvm && held > 0 ? (heapAfter - heapBefore) * 1024.0 / held : Double.NaN;
        String result = String.format(Locale.ROOT,
                "RESULT name=%s n=%d held=%d failed=%d open_after=%d rss_before_kb=%d rss_after_kb=%d "
                        + "rss_per_conn_b=%.0f heap_before_kb=%d heap_after_kb=%d heap_per_conn_b=%s "
                        + "lost=%d connect_s=%.1f deliver_s=%.2f procs=%s",
                name, n, held, failed, stillOpen, sum(rssBefore), sum(rssAfter), rssPerConn, heapBefore, heapAfter,
                jvm ? String.format(Locale.ROOT, "%.0f", heapPerConn) : "-", lost, connectSeconds, deliverSeconds,
                rssAfter.keySet().toString().replace(" ", ""));
        System.out.println(result);
        if (resultFile != null) {
            Files.writeString(Path.of(resultFile), result + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return failed == 0 && lost == 0 ? 0 : 1;
    }

    // ------------------------------------------------------------------ clients

    /** One client connection; flags flip as the markers arrive. */
    private static final class Conn extends ChannelInboundHandlerAdapter {
        final int index;
        final Semaphore permits;
        Channel channel;
        volatile boolean gotInitial;
        volatile boolean gotMessage;
        volatile boolean done;
        volatile String status;
        private String tail = "";

        Conn(int index, Semaphore permits) {
            this.index = index;
            this.permits = permits;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String req = "GET /sse/" + index + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(req, StandardCharsets.US_ASCII));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                String s = tail + b.toString(StandardCharsets.ISO_8859_1);
                if (!gotInitial && s.contains(SseHoldOrigin.INITIAL)) {
                    gotInitial = true;
                    release();
                }
                if (status == null && s.indexOf('\n') >= 0) {
                    status = s.substring(0, s.indexOf('\n')).trim();
                    if (!status.startsWith("HTTP/1.1 200")) {
                        release();
                    }
                }
                if (gotInitial && !gotMessage && s.contains(MESSAGE_MARK)) {
                    gotMessage = true;
                }
                tail = s.length() > 32 ? s.substring(s.length() - 32) : s;
            } finally {
                b.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void release() {
            if (!done) {
                done = true;
                permits.release();
            }
        }
    }

    /** Opens {@code count} connections (index base + i), at most {@link #IN_FLIGHT} waiting at a time. */
    private List<Conn> open(int count, int base) throws InterruptedException {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<Conn> conns = new ArrayList<>(count);
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        AtomicInteger connectFailures = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                log("stalled: no answer for 60 s with %d connections waiting", IN_FLIGHT);
                break;
            }
            Conn c = new Conn(base + i, permits);
            conns.add(c);
            InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + i % SOURCE_ADDRESSES), 0);
            ChannelFuture f = b.clone().handler(c).connect(target, local);
            c.channel = f.channel();
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    connectFailures.incrementAndGet();
                    c.release();
                }
            });
            c.channel.eventLoop().schedule(() -> {
                if (!c.gotInitial) {
                    c.status = c.status == null ? "no answer in 20 s" : c.status;
                    c.release();
                }
            }, 20, TimeUnit.SECONDS);
            if ((i + 1) % 2000 == 0) {
                log("  %d connecting/held", i + 1);
            }
        }
        permits.acquire(IN_FLIGHT); // every one answered or failed
        permits.release(IN_FLIGHT);
        if (connectFailures.get() > 0) {
            log("  %d connects failed", connectFailures.get());
        }
        return conns;
    }

    private static void closeAll(List<Conn> conns) throws InterruptedException {
        for (Conn c : conns) {
            c.channel.close();
        }
        for (Conn c : conns) {
            c.channel.closeFuture().await(5, TimeUnit.SECONDS);
        }
    }

    private static int count(List<Conn> conns, java.util.function.Predicate<Conn> p) {
        int k = 0;
        for (Conn c : conns) {
            if (p.test(c)) {
                k++;
            }
        }
        return k;
    }

    private static void awaitCount(List<Conn> conns, java.util.function.Predicate<Conn> p, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int want = count(conns, c -> c.gotInitial);
        while (count(conns, p) < want && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ publishing

    private void publishAll(String content) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder("{\"items\": [");
        for (int r = 0; r < rooms; r++) {
            if (r > 0) {
                sb.append(", ");
            }
            sb.append("{\"channel\": \"room-").append(r).append("\", \"formats\": {\"http-stream\": ")
                    .append("{\"content\": \"data: ").append(content).append("\\n\\n\"}}}");
        }
        sb.append("]}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controlPort + "/publish"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("publish answered " + r.statusCode() + ": " + r.body());
        }
    }

    // ------------------------------------------------------------------ measuring

    /** The server's process tree. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            all.add(p);
            p.descendants().forEach(all::add);
        });
        return all;
    }

    /** RSS in kB per process name ({@code comm}), summed over the tree. */
    private Map<String, Long> rss() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (ProcessHandle p : tree()) {
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            if (!Files.exists(status)) {
                continue;
            }
            String name = "?";
            long kb = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).trim();
                } else if (line.startsWith("VmRSS:")) {
                    kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            m.merge(name, kb, Long::sum);
        }
        return m;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code jcmd PID GC.run} (full GC with G1), then the "used" figure of {@code jcmd PID GC.heap_info}, in kB. */
    private long liveHeapKb() throws IOException, InterruptedException {
        long javaPid = tree().stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("no java process in the tree of " + pid));
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        jcmd(jcmd, javaPid, "GC.run");
        String info = jcmd(jcmd, javaPid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no 'used NK' in GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(String jcmd, long javaPid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(javaPid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + javaPid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    private static String kb(long kb) {
        return kb < 0 ? "-" : kb + " kB";
    }

    private static void log(String fmt, Object... args) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, fmt, args));
    }
}
