package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.Header;
import org.pushpin.testing.HttpWire;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;

/**
 * A heap too small for the load (docs/reliability.md#heap-pressure): a server process with a 64 MiB heap and
 * {@code heap_pressure_percent=40} gets stream holds until it refuses one. Refused holds are 503s with
 * {@code Retry-After} (a WebSocket too); the process lives on; a plain request is still answered; every stream held
 * before still gets a publish; and once those clients left and a collection ran, new holds are taken again.
 *
 * <p>Each hold subscribes to eight channels of its own with long names, so that a few thousand fill the heap to the
 * mark (a plain one costs about 1.6 KB); all share one channel for the publish. The holds are opened in batches of
 * requests sent before their answers are read: blocking sockets, no thread per client.
 */
@Timeout(120)
class HeapPressureTest {
    /** Far more than the mark needs (about 3,200); without the guard every one is taken (64 MiB holds them all). */
    private static final int MOST_HOLDS = 8_000;
    private static final int BATCH = 50;
    private static final String PAD = "x".repeat(80);
    private static final int PROMETHEUS = PushpinServerExtension.freeLocalPort();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .inChildJvm("-Xmx64m")
            .controlApi()
            .runner("heap_pressure_percent", "40")
            .runner("log_level", "1") // not a line per request and subscription: thousands of them
            .handler("prometheus_port", "127.0.0.1:" + PROMETHEUS)
            .routes("* test")
            .build();

    private static Req hold(int i) {
        StringBuilder target = new StringBuilder("/stream?channel=everyone");
        for (int k = 0; k < 8; k++) {
            target.append("&channel=").append(PAD).append('-').append(i).append('-').append(k);
        }
        return Req.get(target.toString());
    }

    @Test
    void holdsAreRefusedWith503UnderHeapPressureWhileHeldStreamsAreServedAndTakenAgainAfter() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(), "ours only");
        List<StreamClient> held = new ArrayList<>();
        List<RawResponse> refused = new ArrayList<>();
        try {
            while (refused.isEmpty() && held.size() < MOST_HOLDS) {
                List<StreamClient> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new StreamClient(hold(held.size() + batch.size())));
                }
                for (StreamClient c : batch) {
                    if (c.readUntil("\r\n\r\n") && c.status() == 200) {
                        held.add(c);
                    } else {
                        refused.add(c.response());
                        c.close();
                    }
                }
            }
            assertThat(refused).as("holds refused among " + held.size() + " taken").isNotEmpty();
            // still under pressure: another hold, a WebSocket, each refused the same way
            refused.add(RawClient.exchange(pushpin.httpPort(), hold(-1)));
            refused.add(RawClient.exchange(pushpin.httpPort(), Req.get("/ws?channel=everyone")
                    .header("Upgrade", "websocket").header("Connection", "Upgrade")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13")));
            for (RawResponse r : refused) {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).contains("10");
                assertThat(r.header("Connection")).contains("close");
                assertThat(r.bodyText()).contains("too little memory");
            }
            assertThat(pushpin.process().orElseThrow().isAlive()).isTrue();
            assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/")).status())
                    .as("a request that holds nothing").isEqualTo(200);
            assertThat(droppedForHeapPressure()).as("pushpin_dropped_total{reason=\"heap_pressure\"}")
                    .isGreaterThanOrEqualTo(refused.size());

            pushpin.publisher().publish(Publish.item("everyone").stream("after the refusals\n"));
            for (StreamClient c : held) {
                assertThat(c.readUntil("after the refusals\n")).as("a held stream got the publish").isTrue();
            }
            assertThat(pushpin.log()).doesNotContain("OutOfMemoryError");
        } finally {
            for (StreamClient c : held) {
                c.close();
            }
        }
        // The clients left: once the server let them go and a collection ran, holds are taken again.
        Await.until(Duration.ofSeconds(30), () -> health("held") == 0, "the server let the held clients go");
        Await.until(Duration.ofSeconds(30), () -> {
            collectGarbage();
            try (StreamClient c = new StreamClient(hold(-2))) {
                return c.readUntil("\r\n\r\n") && c.status() == 200;
            }
        }, () -> "a new hold taken after the clients left:\n" + tail(pushpin.log()));
    }

    /**
     * A client on a plain socket that keeps only what it read: thousands are open at once, so no buffered reader
     * (RawClient's is 64 KiB) and no thread each.
     */
    private static final class StreamClient implements AutoCloseable {
        private final Socket socket = new Socket();
        private final StringBuilder seen = new StringBuilder();

        StreamClient(Req req) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", pushpin.httpPort()), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(req.bytes());
        }

        /** Reads until {@code text} was seen (true) or the connection ended (false). */
        boolean readUntil(String text) throws IOException {
            byte[] b = new byte[2048];
            while (seen.indexOf(text) < 0) {
                int n;
                try {
                    n = socket.getInputStream().read(b);
                } catch (SocketException e) {
                    return false; // reset: ended
                }
                if (n < 0) {
                    return false;
                }
                seen.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
            }
            return true;
        }

        int status() {
            return Integer.parseInt(seen.substring(9, 12));
        }

        /** The whole response of a connection the server closes after it. */
        RawResponse response() throws IOException {
            readUntil("\u0000never");
            ByteArrayInputStream in = new ByteArrayInputStream(seen.toString().getBytes(StandardCharsets.ISO_8859_1));
            String[] status = HttpWire.readLine(in).split(" ", 3);
            List<Header> headers = HttpWire.readHeaders(in);
            return new RawResponse(status[0], Integer.parseInt(status[1]), status.length > 2 ? status[2] : "",
                    headers, in.readAllBytes(), RawResponse.Framing.CLOSE, true);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A full collection in the server process, as an operator would ask for one ({@code jcmd PID GC.run}). */
    private static void collectGarbage() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pushpin.process().orElseThrow().pid()),
                "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("jcmd GC.run finished").isTrue();
    }

    private static long health(String field) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(pushpin.controlUrl("/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).get(field).asLong();
    }

    private static double droppedForHeapPressure() throws Exception {
        String metrics = RawClient.exchange(PROMETHEUS, Req.get("/metrics")).bodyText();
        Matcher m = Pattern.compile("(?m)^pushpin_dropped_total\\{reason=\"heap_pressure\"} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("heap_pressure in:\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
