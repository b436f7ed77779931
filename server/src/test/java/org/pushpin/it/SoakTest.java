package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.HttpWire;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * A short soak over real sockets (docs/reliability.md#soak; {@code scripts/bench-soak.sh} is the long one): 240 SSE
 * streams and 40 long-polls held on 8 rooms through a socket origin, 20 rounds; each round a tenth of the streams
 * and long-polls leave and new ones come, one request of each fault kind goes out (garbage from the origin, a body
 * cut off, an origin that never answers with {@code origin_timeout=1}, a refused target, and a plain request), and
 * message {@code k} is published to every room once the server counts every client present as held.
 *
 * <p>The rule: a client present (held) when round {@code k} is published gets message {@code k}, exactly once and
 * in order: a stream's body is exactly {@code :init} then the messages of the rounds it was present for, a
 * long-poll's answers are exactly those messages, one per answer. Fault requests get a {@code 502} (the cut body:
 * a {@code 502} or a cut response) and the plain one its answer. When every client left, the server holds no
 * connection. Netty's leak detection (PARANOID in the test run) must report nothing ({@code LeakCheck}).
 */
@Timeout(120)
class SoakTest {
    private static final int ROOMS = 8;
    private static final int STREAMS = 240;
    private static final int POLLS = 40;
    private static final int ROUNDS = 20;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern HELD = Pattern.compile("\"held\":(\\d+)");
    private static final Pattern CONNECTIONS = Pattern.compile("\"connections\":(\\d+)");

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin("soak-origin");

    static final RawOrigin garbage = RawOrigin.garbage();
    static final RawOrigin stalling = RawOrigin.stalling();
    static final RawOrigin cutting = RawOrigin.closingMidBody();
    static final int refusedPort = RawOrigin.closedPort();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder().controlApi()
            .proxy("origin_timeout", "1")
            .routes("garbage.soak " + garbage.target(),
                    "stall.soak " + stalling.target(),
                    "cut.soak " + cutting.target(),
                    "refused.soak 127.0.0.1:" + refusedPort,
                    "* " + origin.target())
            .build();

    /** The fault kinds: the Host that routes to each, and the answers it may get. */
    private static final Map<String, Set<String>> FAULTS = new LinkedHashMap<>();

    static {
        FAULTS.put("garbage.soak", Set.of("502"));
        FAULTS.put("stall.soak", Set.of("502"));
        FAULTS.put("cut.soak", Set.of("502", "cut"));
        FAULTS.put("refused.soak", Set.of("502"));
        FAULTS.put("plain.soak", Set.of("200 plain"));
    }

    private final Random random = new Random(8);
    private final ExecutorService faultThreads = Executors.newFixedThreadPool(8);
    private int nextIndex;

    @AfterAll
    static void closeRawOrigins() {
        garbage.close();
        stalling.close();
        cutting.close();
    }

    @Test
    void churnWithOriginFaultsLosesNothing() throws Exception {
        origin.onAny(SoakTest::answer);
        List<Stream> streams = new ArrayList<>();
        List<Poller> polls = new ArrayList<>();
        List<Future<String>> faults = new ArrayList<>();
        List<String> faultKinds = new ArrayList<>();
        try {
            for (int r = 1; r <= ROUNDS; r++) {
                final int round = r;
                // churn: a tenth leave (each got everything up to the last round, checked then), new ones come
                int leaving = round == 1 ? 0 : STREAMS / 10;
                for (int i = 0; i < leaving; i++) {
                    streams.remove(random.nextInt(streams.size())).held.close();
                }
                List<Stream> coming = new ArrayList<>();
                while (streams.size() + coming.size() < STREAMS) {
                    coming.add(new Stream(nextIndex++, round));
                }
                for (Stream s : coming) {
                    s.held.awaitText(":init\n\n", WAIT);
                }
                streams.addAll(coming);
                for (int i = 0; i < (round == 1 ? 0 : POLLS / 10); i++) {
                    polls.remove(random.nextInt(polls.size())).stop();
                }
                while (polls.size() < POLLS) {
                    polls.add(new Poller(nextIndex++, round));
                }
                for (String host : FAULTS.keySet()) {
                    int index = nextIndex++;
                    faultKinds.add(host);
                    faults.add(faultThreads.submit(() -> fault(host, index)));
                }
                int present = streams.size() + polls.size();
                Await.until(WAIT, () -> serverCount(HELD) == present,
                        () -> "the server holds " + serverCountOrError(HELD) + ", " + present + " clients are present");

                publishRound(round);

                for (Stream s : streams) {
                    // messages come in order: once this round's is in, every earlier one is too (or was lost)
                    String want = s.expected(round);
                    Await.until(WAIT, () -> s.held.text().length() >= want.length()
                            || s.held.text().endsWith(message(round)), () -> s + " after round " + round
                            + " lacks message " + round + "; its body: " + s.held.text().replace("\n", "\\n"));
                    assertThat(s.held.text()).as("%s after round %d", s, round).isEqualTo(want);
                }
                for (Poller p : polls) {
                    List<String> want = p.expected(round);
                    Await.until(WAIT, () -> p.answers.size() >= want.size(),
                            () -> "long-poll " + p.index + " after round " + round + ": " + p.answers);
                    assertThat(p.answers).as("long-poll %d, present from round %d", p.index, p.firstRound)
                            .isEqualTo(want);
                }
            }
            for (int i = 0; i < faults.size(); i++) {
                String host = faultKinds.get(i);
                assertThat(faults.get(i).get(30, TimeUnit.SECONDS)).as("fault request %d to %s", i, host)
                        .isIn(FAULTS.get(host));
            }
        } finally {
            for (Stream s : streams) {
                s.held.close();
            }
            for (Poller p : polls) {
                p.stop();
            }
            faultThreads.shutdownNow();
        }
        Await.until(WAIT, () -> serverCount(CONNECTIONS) == 0 && serverCount(HELD) == 0,
                () -> "after every client left: connections " + serverCountOrError(CONNECTIONS) + ", held "
                        + serverCountOrError(HELD));
    }

    /** The origin: GRIP stream holds, long-polls and plain answers for {@code /<kind>/<i>}, room {@code i % ROOMS}. */
    private static Reply answer(OriginRequest r) {
        String path = r.path();
        String index = path.substring(path.lastIndexOf('/') + 1);
        String room = "room-" + Integer.parseInt(index) % ROOMS;
        if (path.startsWith("/sse/")) {
            return Reply.ok(":init\n\n").header("Content-Type", "text/event-stream").header("Grip-Hold", "stream")
                    .header("Grip-Channel", room);
        }
        if (path.startsWith("/poll/")) {
            return Reply.ok("").header("Grip-Hold", "response").header("Grip-Channel", room);
        }
        return Reply.ok("plain " + index);
    }

    private static void publishRound(int round) throws Exception {
        Publish.Item[] items = new Publish.Item[ROOMS];
        for (int r = 0; r < ROOMS; r++) {
            items[r] = Publish.item("room-" + r).stream(message(round)).response(round + "\n");
        }
        pushpin.publisher().publish(items);
    }

    private static String message(int round) {
        return "data: " + round + "\n\n";
    }

    /** One request of a fault kind: its status (the body too for 200), or "cut" when the response broke off. */
    private static String fault(String host, int index) throws IOException {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.timeout(Duration.ofSeconds(30));
            RawResponse r = c.exchange(Req.get("/plain/" + index).host(host).header("Connection", "close"));
            if (!r.complete()) {
                return "cut";
            }
            return r.status() == 200 ? r.status() + " " + r.bodyText().replace(" " + index, "") : "" + r.status();
        } catch (HttpWire.TruncatedException e) {
            return "closed without a response";
        } catch (SocketTimeoutException e) {
            return "no answer";
        }
    }

    private static long serverCount(Pattern p) throws IOException {
        String health = RawClient.exchange(pushpin.controlPort(), Req.get("/health")).bodyText();
        Matcher m = p.matcher(health);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in /health: " + health);
        }
        return Long.parseLong(m.group(1));
    }

    private static String serverCountOrError(Pattern p) {
        try {
            return Long.toString(serverCount(p));
        } catch (IOException | AssertionError e) {
            return e.toString();
        }
    }

    /** A held SSE stream, present from {@code firstRound}. */
    private static final class Stream {
        final int index;
        final int firstRound;
        final HeldStream held;

        Stream(int index, int firstRound) throws IOException {
            this.index = index;
            this.firstRound = firstRound;
            this.held = HeldStream.open(pushpin.httpPort(),
                    Req.get("/sse/" + index).header("Accept", "text/event-stream"));
            assertThat(held.status()).as("stream %d", index).isEqualTo(200);
        }

        @Override
        public String toString() {
            return "stream " + index + " (room-" + index % ROOMS + ", present from round " + firstRound + ")";
        }

        /** Its whole body once round {@code last} reached it. */
        String expected(int last) {
            StringBuilder sb = new StringBuilder(":init\n\n");
            for (int k = firstRound; k <= last; k++) {
                sb.append(message(k));
            }
            return sb.toString();
        }
    }

    /** A long-poll client on its own thread, asking again on the same connection after each answer. */
    private static final class Poller {
        final int index;
        final int firstRound;
        final List<String> answers = new CopyOnWriteArrayList<>();
        private final RawClient client;
        private final Thread thread;
        private volatile boolean stopped;

        Poller(int index, int firstRound) throws IOException {
            this.index = index;
            this.firstRound = firstRound;
            this.client = RawClient.connect(pushpin.httpPort());
            client.timeout(Duration.ZERO);
            this.thread = new Thread(this::run, "soak-poll-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (!stopped) {
                    client.send(Req.get("/poll/" + index));
                    RawResponse r = client.read();
                    answers.add(r.status() + " " + r.bodyText());
                }
            } catch (IOException e) {
                if (!stopped) {
                    answers.add("error: " + e);
                }
            }
        }

        /** Its answers once round {@code last} reached it: one per round. */
        List<String> expected(int last) {
            List<String> want = new ArrayList<>();
            for (int k = firstRound; k <= last; k++) {
                want.add("200 " + k + "\n");
            }
            return want;
        }

        void stop() throws IOException {
            stopped = true;
            client.close();
        }
    }
}
