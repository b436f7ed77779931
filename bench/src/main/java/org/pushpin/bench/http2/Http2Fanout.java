package org.pushpin.bench.http2;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.pushpin.bench.load.ProcessTree;

/**
 * HTTP/2 against HTTP/1.1 in one run, on one server: N SSE streams held over C HTTP/2 connections (prior
 * knowledge, h2c), then N SSE streams each on its own HTTP/1.1 connection; for each, the server's live heap after a
 * full GC before and after (Δ/N = bytes per held stream) and the fanout latency of R publish rounds (one item per
 * room, all rooms in one publish, after one warm-up round; latency = receipt − the publish's send time, in this
 * JVM) as p50/p99/max.
 * The origin is {@code org.pushpin.bench.memory.SseHoldOrigin} ({@code /sse/i} holds on {@code room-(i % rooms)}).
 *
 * <pre>
 * java -cp pushpin-bench.jar org.pushpin.bench.http2.Http2Fanout HTTP_PORT CONTROL_PORT SERVER_PID N C ROOMS ROUNDS
 * </pre>
 * Prints one {@code RESULT} line per protocol.
 */
public final class Http2Fanout {
    private static final ByteBuf INIT = Unpooled.copiedBuffer(":init", StandardCharsets.US_ASCII);
    private static final ByteBuf MESSAGE = Unpooled.copiedBuffer("data: r", StandardCharsets.US_ASCII);

    private final int port;
    private final int controlPort;
    private final ProcessTree server;
    private final int n;
    private final int rooms;
    private final int rounds;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile CountDownLatch held;
    private volatile CountDownLatch received;
    private volatile long roundStart;
    private final AtomicLongArray latencies;
    private final AtomicInteger receivedCount = new AtomicInteger();

    private Http2Fanout(int port, int controlPort, long pid, int n, int rooms, int rounds) {
        this.port = port;
        this.controlPort = controlPort;
        this.server = new ProcessTree(pid);
        this.n = n;
        this.rooms = rooms;
        this.rounds = rounds;
        this.latencies = new AtomicLongArray(n);
    }

    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[3]);
        Http2Fanout f = new Http2Fanout(Integer.parseInt(a[0]), Integer.parseInt(a[1]), Long.parseLong(a[2]), n,
                Integer.parseInt(a[5]), Integer.parseInt(a[6]));
        try {
            f.run("http2", Integer.parseInt(a[4]));
            f.run("http1", n);
        } finally {
            f.group.shutdownGracefully();
        }
    }

    /** One protocol's phase: hold N streams over {@code connections} connections, measure, close everything. */
    private void run(String protocol, int connections) throws Exception {
        long heapBefore = server.liveHeapKb();
        held = new CountDownLatch(n);
        List<Channel> opened = new ArrayList<>();
        int perConnection = (n + connections - 1) / connections;
        for (int c = 0, i = 0; c < connections && i < n; c++) {
            int first = i;
            int count = Math.min(perConnection, n - i);
            i += count;
            opened.add(protocol.equals("http2") ? openHttp2(first, count) : openHttp1(first));
            if (c % 100 == 99) {
                Thread.sleep(5); // a gentle connect rate: the listen backlog is not what is measured
            }
        }
        if (!held.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(protocol + ": only " + (n - held.getCount()) + " of " + n + " held");
        }
        Thread.sleep(500); // the last streams' subscriptions come into force
        long heapAfter = server.liveHeapKb();
        if (System.getenv("BENCH_HISTOGRAM") != null) {
            // what the held streams are made of: the classes with about N (or a multiple) live instances
            server.jcmd("GC.class_histogram").lines().limit(45).forEach(l -> System.out.println(protocol + " " + l));
        }
        long[] all = new long[0];
        fanout(0); // a warm-up round, not counted: the first phase would otherwise pay for the JIT of both
        Thread.sleep(200);
        for (int r = 1; r <= rounds; r++) {
            all = concat(all, fanout(r));
            Thread.sleep(200);
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "RESULT protocol=%s streams=%d connections=%d heap_per_stream_b=%.0f "
                        + "fanout_p50_ms=%.2f fanout_p99_ms=%.2f fanout_max_ms=%.2f received=%d/%d%n",
                protocol, n, opened.size(), (heapAfter - heapBefore) * 1024.0 / n, ms(all, 0.50), ms(all, 0.99),
                ms(all, 1.0), all.length, (long) n * rounds);
        for (Channel ch : opened) {
            ch.close();
        }
        for (Channel ch : opened) {
            ch.closeFuture().await(5, TimeUnit.SECONDS);
        }
        Thread.sleep(1000);
    }

    private long[] fanout(int round) throws Exception {
        receivedCount.set(0);
        received = new CountDownLatch(n);
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int r = 0; r < rooms; r++) {
            body.append(r == 0 ? "" : ",").append("{\"channel\":\"room-").append(r)
                    .append("\",\"formats\":{\"http-stream\":{\"content\":\"data: r").append(round)
                    .append("\\n\\n\"}}}");
        }
        body.append("]}");
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + "/publish/"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        roundStart = System.nanoTime();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("publish: " + resp.statusCode() + " " + resp.body());
        }
        received.await(30, TimeUnit.SECONDS);
        int got = receivedCount.get();
        long[] out = new long[got];
        for (int i = 0; i < got; i++) {
            out[i] = latencies.get(i);
        }
        return out;
    }

    private void onBytes(ByteBuf bytes) {
        if (ByteBufUtil.indexOf(MESSAGE, bytes) >= 0) {
            long latency = System.nanoTime() - roundStart;
            int k = receivedCount.getAndIncrement();
            if (k < n) {
                latencies.set(k, latency);
            }
            CountDownLatch l = received;
            if (l != null) {
                l.countDown();
            }
        } else if (ByteBufUtil.indexOf(INIT, bytes) >= 0) {
            held.countDown();
        }
    }

    private Bootstrap bootstrap(ChannelHandler handler) {
        return new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).handler(handler);
    }

    private Channel openHttp2(int first, int count) throws InterruptedException {
        Channel parent = bootstrap(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            }
        }).connect("127.0.0.1", port).sync().channel();
        ChannelHandler streamHandler = new StreamHandler();
        for (int i = first; i < first + count; i++) {
            Http2StreamChannel s = new Http2StreamChannelBootstrap(parent).handler(streamHandler).open().sync()
                    .getNow();
            s.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET")
                    .path("/sse/" + i).scheme("http").authority("bench"), true));
        }
        return parent;
    }

    private Channel openHttp1(int index) throws InterruptedException {
        Channel ch = bootstrap(new StreamHandler()).connect("127.0.0.1", port).sync().channel();
        ch.writeAndFlush(Unpooled.copiedBuffer("GET /sse/" + index + " HTTP/1.1\r\nHost: bench\r\n\r\n",
                StandardCharsets.US_ASCII));
        return ch;
    }

    /** Counts held streams and timed messages; bytes of HTTP/1.1 connections and DATA frames of HTTP/2 streams. */
    @ChannelHandler.Sharable
    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2DataFrame data) {
                    onBytes(data.content());
                } else if (msg instanceof ByteBuf bytes) {
                    onBytes(bytes);
                } else if (msg instanceof Http2HeadersFrame h && !"200".contentEquals(h.headers().status())) {
                    System.err.println("stream answered " + h.headers().status());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
