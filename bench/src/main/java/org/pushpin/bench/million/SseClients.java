package org.pushpin.bench.million;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The client side of the simulations: SSE clients over the in-JVM transport, each nothing but a {@link LocalChannel}
 * whose pipeline holds one shared handler that counts what arrives. Client {@code i} asks {@code GET /sse/i}, so it
 * lands in room {@code i % rooms}. With {@code websocket}, client {@code i} sends a WebSocket upgrade for
 * {@code /ws/i} instead (the origin subscribes it with a {@code c:} message and says {@code m:ready}, which arrives
 * as a text frame {@code ready}: its "initial body") and counts published messages ({@code data: ...} payloads) in
 * the server's unmasked frames; it never sends a frame, so it needs no codec and no masking. A local channel hands over each buffer exactly as the server wrote it (no
 * re-segmenting as on a socket), so a marker is never split between two reads and counting it per buffer is exact.
 * Each client binds its own address {@code sse-client-i}: the ones Netty makes up come from 32 random bits and
 * clash within a million.
 */
final class SseClients implements AutoCloseable {
    private static final byte[] INITIAL = ":init".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WS_READY = "ready".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_LINE = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);

    final LongAdder initials = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder closed = new LongAdder();
    private final EventLoopGroup ownLoops;
    private EventLoopGroup group;
    private Function<EventLoop, LocalAddress> addressOn;
    private final Counter counter = new Counter();
    private final int inFlight;
    private final boolean websocket;
    private final byte[] initial;
    private final String accepted;
    private Semaphore permits;

    /** @param inFlight connections that may wait for their initial body at once */
    SseClients(int threads, int inFlight) {
        this(threads, inFlight, false);
    }

    /** @param websocket WebSocket passthrough clients ({@code /ws/i}) instead of SSE */
    SseClients(int threads, int inFlight, boolean websocket) {
        this.websocket = websocket;
        this.initial = websocket ? WS_READY : INITIAL;
        this.accepted = websocket ? "101" : "200";
        this.ownLoops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("client", true),
                LocalIoHandler.newFactory());
        this.group = ownLoops;
        this.inFlight = inFlight;
    }

    /**
     * Later {@link #open}s put their clients on {@code loops}, the server's own in-JVM loops, round-robin, each
     * connecting to the address {@code addressOn} gives for its loop (the server end then lives on the same loop):
     * on 2 cores a third busy thread only adds wake-ups, and a client whose server end shares its loop gets its
     * bytes without a task between threads. Null {@code addressOn}: the address given to {@link #open}.
     */
    void runOn(EventLoopGroup loops, Function<EventLoop, LocalAddress> addressOn) {
        this.group = loops;
        this.addressOn = addressOn;
    }

    /**
     * Opens clients {@code base..base+count-1} into {@code into} (from index 0) and returns once each got its
     * initial body or failed; {@code progress} is called every 100,000 with the number opened so far.
     *
     * @return false when the server stalled (no answer for 60 s)
     */
    boolean open(LocalAddress server, int base, Channel[] into, int count, Progress progress)
            throws InterruptedException {
        permits = new Semaphore(inFlight);
        Bootstrap b = new Bootstrap().group(group).channel(LocalChannel.class).handler(counter);
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        for (int i = 0; i < count; i++) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                return false;
            }
            int index = base + i;
            LocalAddress target = server;
            Bootstrap on = b;
            if (addressOn != null) {
                EventLoop loop = loops.get(index % loops.size());
                target = addressOn.apply(loop);
                on = b.clone(loop);
            }
            ChannelFuture f = on.connect(target, new LocalAddress("sse-client-" + index));
            into[i] = f.channel();
            f.addListener(x -> {
                if (x.isSuccess()) {
                    f.channel().writeAndFlush(request(index, websocket), f.channel().voidPromise());
                } else {
                    failures.increment();
                    permits.release();
                }
            });
            if ((i + 1) % 100_000 == 0) {
                progress.opened(i + 1);
            }
        }
        if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            return false;
        }
        permits.release(inFlight);
        return true;
    }

    /** Closes {@code channels[0..count-1]} and waits until each is closed. */
    static void closeAll(Channel[] channels, int count) {
        for (int i = 0; i < count; i++) {
            channels[i].close();
        }
        for (int i = 0; i < count; i++) {
            channels[i].closeFuture().awaitUninterruptibly();
            channels[i] = null;
        }
    }

    /**
     * Bytes of live heap per client channel, measured: {@code pairs} clients connected to a listener whose accepted
     * channels carry the same single shared handler, so both ends are the same object graph (a {@code LocalChannel},
     * its pipeline with one handler context, unsafe, config, queue, close future, registration); half the pair's heap
     * is the client's. Nothing else of the server is involved.
     */
    double calibrateBytesPerClient(int pairs, HeapMeter heap) throws InterruptedException {
        LocalAddress address = new LocalAddress("million-calibration");
        Channel listener = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(counter).bind(address).sync().channel();
        Channel[] clients = new Channel[pairs];
        long before = heap.liveBytes();
        Bootstrap b = new Bootstrap().group(group).channel(LocalChannel.class).handler(counter);
        for (int i = 0; i < pairs; i++) {
            clients[i] = b.connect(address, new LocalAddress("calibration-client-" + i)).sync().channel();
        }
        long after = heap.liveBytes();
        closeAll(clients, pairs);
        listener.close().sync();
        return (after - before) / 2.0 / pairs;
    }

    private static ByteBuf request(int index, boolean websocket) {
        String head = websocket
                ? "GET /ws/" + index + " HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                : "GET /sse/" + index + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n";
        return Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        ownLoops.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    /** Progress of {@link #open}. */
    interface Progress {
        void opened(int count);
    }

    /** The one handler of every client: counts initial bodies, messages, refusals and closes. */
    @ChannelHandler.Sharable
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                if (startsWith(b, STATUS_LINE) && !startsWith(b, STATUS_LINE.length, accepted)) {
                    if (failures.sum() == 0) {
                        System.out.println("first refusal: " + b.toString(StandardCharsets.ISO_8859_1));
                    }
                    failures.increment();
                    permits.release();
                    ctx.close();
                    return;
                }
                if (count(b, initial) > 0) {
                    initials.increment();
                    permits.release();
                }
                int m = count(b, MESSAGE);
                if (m > 0) {
                    messages.add(m);
                }
            } finally {
                b.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.increment();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static boolean startsWith(ByteBuf b, byte[] prefix) {
        if (b.readableBytes() < prefix.length) {
            return false;
        }
        int at = b.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteBuf b, int offset, String text) {
        int at = b.readerIndex() + offset;
        if (b.writerIndex() < at + text.length()) {
            return false;
        }
        return b.toString(at, text.length(), StandardCharsets.US_ASCII).equals(text);
    }

    private static int count(ByteBuf b, byte[] needle) {
        int n = 0;
        int end = b.writerIndex() - needle.length;
        outer:
        for (int i = b.readerIndex(); i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            n++;
            i += needle.length - 1;
        }
        return n;
    }
}
