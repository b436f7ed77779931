package org.pushpin.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.TestOrigin;

/**
 * Stream resume from the channel history (docs/history.md), over real sockets: clients that drop and come back with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}) get every later item once, in order, then live ones.
 */
@Timeout(120)
class SseResumeTest {
    private static final int CLIENTS = 100;
    private static final int ITEMS = 1000;

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .handler("history_size", "1000")
            .handler("history_ttl", "300")
            .build();

    private static Reply sse(String channel) {
        return Reply.status(200).header("Content-Type", "text/event-stream").header("Grip-Hold", "stream")
                .header("Grip-Channel", channel).body("");
    }

    private static Publish.Item event(String channel, int n) {
        return Publish.item(channel).id(Integer.toString(n)).stream("id: " + n + "\ndata: " + n + "\n\n");
    }

    /** One SSE connection read line by line; the chunk framing lines never look like {@code id: N}. */
    private static final class Conn implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Conn(String path, String lastId) throws IOException {
            socket = new Socket("127.0.0.1", pushpin.httpPort());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nAccept: text/event-stream\r\n"
                    + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
            for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                // the head: the hold is subscribed and in force once it came
            }
        }

        /** The next event id, or -1 when the stream ended. */
        int nextId() throws IOException {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                if (l.startsWith("id: ")) {
                    return Integer.parseInt(l.substring(4).strip());
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void hundredClientsDroppedAtRandomEachGetEveryItemOnceInOrder() throws Exception {
        String ch = "resume-" + System.nanoTime();
        origin.on("/sse", sse(ch));
        Random seed = new Random();
        long s = seed.nextLong();
        Random random = new Random(s);
        List<List<Integer>> seen = new ArrayList<>();
        List<Conn> first = new ArrayList<>();
        List<int[]> dropsAt = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            seen.add(new ArrayList<>());
            first.add(new Conn("/sse", null)); // subscribed and in force once its head is read
            int drops = 1 + random.nextInt(3);
            dropsAt.add(random.ints(drops, 1, ITEMS).sorted().toArray());
        }
        CountDownLatch done = new CountDownLatch(CLIENTS);
        AtomicInteger reconnects = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    List<Integer> got = seen.get(client);
                    int[] drops = dropsAt.get(client);
                    int nextDrop = 0;
                    Conn conn = first.get(client);
                    while (true) {
                        int id = conn.nextId();
                        if (id < 0) {
                            throw new AssertionError("client " + client + ": the stream ended after " + got.size());
                        }
                        got.add(id);
                        if (id == ITEMS) {
                            conn.close();
                            return;
                        }
                        if (nextDrop < drops.length && id >= drops[nextDrop]) {
                            nextDrop++;
                            conn.close(); // dropped; back with the last id seen, alternately as the query form
                            reconnects.incrementAndGet();
                            conn = nextDrop % 2 == 0 ? new Conn("/sse?lastEventId=" + id, null)
                                    : new Conn("/sse", Integer.toString(id));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "sse-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Publish pub = pushpin.publisher();
        for (int n = 1; n <= ITEMS; n += 10) {
            Publish.Item[] batch = new Publish.Item[10];
            for (int i = 0; i < 10; i++) {
                batch[i] = event(ch, n + i);
            }
            pub.publish(batch);
        }
        assertThat(done.await(90, TimeUnit.SECONDS)).as("every client finished (seed " + s + ")").isTrue();
        assertThat(failures).as("seed " + s).isEmpty();
        List<Integer> all = IntStream.rangeClosed(1, ITEMS).boxed().toList();
        for (int c = 0; c < CLIENTS; c++) {
            assertThat(seen.get(c)).as("client %d (seed %d)", c, s).isEqualTo(all);
        }
        assertThat(reconnects.get()).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(pushpin.server().metrics().history().misses()).isZero();
    }

    @Test
    void anUnknownIdReplaysNothingIsCountedAndLiveItemsFollow() throws Exception {
        String ch = "resume-miss-" + System.nanoTime();
        origin.on("/miss", sse(ch));
        Publish pub = pushpin.publisher();
        pub.publish(event(ch, 1), event(ch, 2));
        long misses = pushpin.server().metrics().history().misses();
        try (Conn c = new Conn("/miss", "999")) {
            pub.publish(event(ch, 3));
            assertThat(c.nextId()).as("nothing replayed, the live item follows").isEqualTo(3);
        }
        assertThat(pushpin.server().metrics().history().misses()).isEqualTo(misses + 1);
        try (Conn c = new Conn("/miss", "1")) {
            assertThat(c.nextId()).isEqualTo(2);
            assertThat(c.nextId()).isEqualTo(3);
            pub.publish(event(ch, 4));
            assertThat(c.nextId()).isEqualTo(4);
        }
        assertThat(pushpin.server().metrics().history().misses()).isEqualTo(misses + 1);
    }
}
