package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;

/**
 * A fast sender and a reader that stopped reading: the proxy stops reading the sender once the reader's side is
 * full, so the sender's writes stop completing well before all is sent, and everything arrives once the reader
 * reads again. The server runs in a child JVM whose heap (and so Netty's direct memory) is far smaller than what is
 * sent: a proxy that buffered would die. Frames are sent pre-encoded (mask key 0) and counted as raw bytes, as
 * masking under this suite's PARANOID leak detection costs a stack trace per four bytes.
 */
@Timeout(180)
class WsPassthroughBackpressureTest {
    static final int FRAME = 16 << 10;
    /** Far more than the child's heap and than every socket buffer on the way (loopback autotuning: a few MB). */
    static final int FRAMES = 6 * 1024;
    static final long TOTAL = (long) FRAMES * FRAME;

    static final WsTestOrigin origin = WsPassthroughHandshakeTest.startOrigin();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .inChildJvm("-Xmx48m", "-XX:+ExitOnOutOfMemoryError",
                    "-Dio.netty.leakDetection.level=" + System.getProperty("pushpin.it.childLeakLevel", "simple"))
            .routes("localhost 127.0.0.1:" + origin.port())
            .build();

    @BeforeEach
    void reset() {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 takes in more than half of the 96 MiB from a "
                + "fast origin, and stalls for good on a fast client (seen)");
        origin.reset();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    /** One binary frame of {@link #FRAME} zero bytes, as the wire carries it ({@code masked}: with mask key 0). */
    private static byte[] encodedFrame(boolean masked) {
        int header = masked ? 8 : 4;
        byte[] f = new byte[header + FRAME];
        f[0] = (byte) 0x82;
        f[1] = (byte) ((masked ? 0x80 : 0) | 126);
        f[2] = (byte) (FRAME >> 8);
        f[3] = (byte) FRAME;
        return f; // mask key and payload: zeros
    }

    /** Writes {@link #FRAMES} frames on {@code sender} without waiting; counts the payload bytes written. */
    private static AtomicLong flood(Channel sender, boolean masked) {
        AtomicLong completed = new AtomicLong();
        byte[] frame = encodedFrame(masked);
        sender.eventLoop().execute(() -> {
            for (int i = 0; i < FRAMES; i++) {
                // a ByteBuf passes the frame encoder untouched
                sender.write(Unpooled.wrappedBuffer(frame)).addListener(f -> completed.addAndGet(FRAME));
            }
            sender.flush();
        });
        return completed;
    }

    /** Counts the bytes a test peer receives, frame headers included, instead of decoding them. */
    private static AtomicLong countRaw(Channel receiver, String decoderName) {
        AtomicLong got = new AtomicLong();
        receiver.eventLoop().submit(() -> receiver.pipeline().replace(decoderName, "count",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        got.addAndGet(((ByteBuf) msg).readableBytes());
                        ((ByteBuf) msg).release();
                    }
                })).syncUninterruptibly();
        return got;
    }

    /** Waits until {@code completed} has moved and then not moved for a second, and returns where it stopped. */
    private static long stalled(AtomicLong completed) {
        long[] last = {-1, System.nanoTime()};
        Await.until(Duration.ofSeconds(60), () -> {
            long now = completed.get();
            if (now != last[0] || now == 0) {
                last[0] = now;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] > 1_000_000_000L;
        }, "the sender's writes to settle");
        return last[0];
    }

    private static void pauseReading(Channel reader) {
        reader.config().setOption(ChannelOption.SO_RCVBUF, 64 << 10);
        reader.config().setAutoRead(false);
    }

    @Test
    void aSlowClientThrottlesTheOrigin() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/slow-client")) {
            WsPeer o = origin.nextConnection();
            pauseReading(c.channel);
            AtomicLong got = countRaw(c.channel, "ws-decoder");
            AtomicLong completed = flood(o.channel, false);
            long stuck = stalled(completed);
            assertThat(stuck).as("bytes the origin could hand over while the client read nothing")
                    .isLessThan(TOTAL / 2);
            c.channel.config().setAutoRead(true);
            long expected = (long) FRAMES * (FRAME + 4);
            Await.until(Duration.ofSeconds(120), () -> got.get() == expected,
                    () -> "the client got " + got.get() + " of " + expected + " bytes");
            // the sender's last write promises complete on its own loop, maybe just after the bytes arrived
            Await.until(Duration.ofSeconds(10), () -> completed.get() == TOTAL,
                    () -> "the sender's writes completed " + completed.get() + " of " + TOTAL);
        }
    }

    @Test
    void aSlowOriginThrottlesTheClient() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/slow-origin")) {
            WsPeer o = origin.nextConnection();
            pauseReading(o.channel);
            AtomicLong got = countRaw(o.channel, "wsdecoder");
            AtomicLong completed = flood(c.channel, true);
            long stuck = stalled(completed);
            assertThat(stuck).as("bytes the client could hand over while the origin read nothing")
                    .isLessThan(TOTAL / 2);
            o.channel.config().setAutoRead(true);
            long expected = (long) FRAMES * (FRAME + 8); // the proxy masks what it sends the origin
            Await.until(Duration.ofSeconds(120), () -> got.get() == expected,
                    () -> "the origin got " + got.get() + " of " + expected + " bytes");
            // the sender's last write promises complete on its own loop, maybe just after the bytes arrived
            Await.until(Duration.ofSeconds(10), () -> completed.get() == TOTAL,
                    () -> "the sender's writes completed " + completed.get() + " of " + TOTAL);
        }
    }
}
