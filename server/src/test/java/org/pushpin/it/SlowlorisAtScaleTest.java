package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.Req;

/**
 * 10,000 slowloris clients (docs/reliability.md), each opening a connection and sending part of a request head,
 * then nothing. While a server holds all of them at once, plain requests are answered and a stream is held and gets
 * a publish; once they leave, the server lets every one go. With a short request timeout, every one of 10,000 is
 * cut by it.
 *
 * <p>The servers are child processes (each process may open 20,000 files: a server holds 10,000 sockets, this JVM
 * the other ends); the stalled clients are non-blocking channels on one selector, no thread each. The first server's
 * request timeout is long, so that all 10,000 are open together however slowly this machine opens them.
 */
@Timeout(120)
class SlowlorisAtScaleTest {
    private static final int STALLED = 10_000;
    /** A bound on each phase, far beyond what it takes: a hang fails rather than waits for the class timeout. */
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** Connects in flight at once: under the listen backlog, so none waits for a SYN to be sent again. */
    private static final int CONNECTING_AT_ONCE = 1_000;
    private static final byte[] PART_OF_A_HEAD = "GET /never HTTP/1.1\r\nHost: x\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .inChildJvm("-Xmx512m")
            .controlApi()
            .runner("client_request_timeout", "600")
            .runner("log_level", "1") // no line per request
            .routes("* test")
            .build();

    @Test
    void tenThousandStalledClientsDoNotStopServiceToOthers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "ours only");
        List<SocketChannel> stalled = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            openStalled(selector, pushpin.httpPort(), stalled);
            Await.until(Duration.ofSeconds(30), () -> health("connections") >= STALLED,
                    () -> "the server holds every stalled client (connections: " + healthOrError() + ")");

            for (int i = 0; i < 20; i++) {
                assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/")).status()).isEqualTo(200);
            }
            try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/stream?channel=beside-slowloris"))) {
                s.awaitText("[stream opened]\n", Duration.ofSeconds(20));
                pushpin.publisher().publish(Publish.item("beside-slowloris").stream("served\n"));
                s.awaitText("served\n", Duration.ofSeconds(20));
            }
            assertThat(openCount(stalled)).as("stalled clients still connected").isEqualTo(STALLED);
        } finally {
            for (SocketChannel c : stalled) {
                c.close();
            }
        }
        Await.until(Duration.ofSeconds(30), () -> health("connections") == 0,
                () -> "the server let the stalled clients go (connections: " + healthOrError() + ")");
    }

    @Test
    void tenThousandStalledClientsAreEachCutByTheRequestTimeout() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "ours only");
        List<SocketChannel> stalled = new ArrayList<>();
        try (PushpinServerExtension timed = PushpinServerExtension.builder().inChildJvm("-Xmx512m")
                     .runner("client_request_timeout", "2").runner("log_level", "1").routes("* test").start();
             Selector selector = Selector.open()) {
            openStalled(selector, timed.httpPort(), stalled);
            for (SocketChannel c : stalled) {
                c.register(selector, SelectionKey.OP_READ);
            }
            int cut = 0;
            ByteBuffer b = ByteBuffer.allocate(256);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (cut < STALLED) {
                assertThat(System.nanoTime() - deadline).as("cut within " + LIMIT + ": " + cut).isNegative();
                selector.select(1000);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    b.clear();
                    int n;
                    try {
                        n = ((SocketChannel) k.channel()).read(b);
                    } catch (IOException e) {
                        n = -1; // reset
                    }
                    assertThat(n).as("what a stalled client got: only the end").isNegative();
                    k.cancel();
                    k.channel().close();
                    cut++;
                }
            }
        } finally {
            for (SocketChannel c : stalled) {
                c.close();
            }
        }
    }

    /** Opens {@link #STALLED} connections, at most {@link #CONNECTING_AT_ONCE} connecting at a time. */
    private static void openStalled(Selector selector, int port, List<SocketChannel> stalled) throws IOException {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        int started = 0;
        int connecting = 0;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (stalled.size() < STALLED) {
            assertThat(System.nanoTime() - deadline).as("connected within " + LIMIT + ": " + stalled.size())
                    .isNegative();
            while (started < STALLED && connecting < CONNECTING_AT_ONCE) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                if (c.connect(server)) {
                    sendPartOfAHead(c, stalled);
                } else {
                    c.register(selector, SelectionKey.OP_CONNECT);
                    connecting++;
                }
                started++;
            }
            selector.select(1000);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel c = (SocketChannel) k.channel();
                c.finishConnect();
                k.cancel();
                connecting--;
                sendPartOfAHead(c, stalled);
            }
        }
        selector.selectNow(); // flushes the cancelled keys
    }

    private static void sendPartOfAHead(SocketChannel c, List<SocketChannel> stalled) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(PART_OF_A_HEAD);
        while (b.hasRemaining()) {
            c.write(b); // a few dozen bytes into an empty send buffer: taken at once
        }
        stalled.add(c);
    }

    /** How many of {@code channels} the server has not closed: a read of nothing, not an end of stream. */
    private static int openCount(List<SocketChannel> channels) throws IOException {
        int open = 0;
        ByteBuffer b = ByteBuffer.allocate(256);
        for (SocketChannel c : channels) {
            b.clear();
            try {
                if (c.read(b) == 0) {
                    open++;
                }
            } catch (IOException e) {
                // reset: closed
            }
        }
        return open;
    }

    private static long health(String field) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(pushpin.controlUrl("/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).get(field).asLong();
    }

    private static String healthOrError() {
        try {
            return Long.toString(health("connections"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
