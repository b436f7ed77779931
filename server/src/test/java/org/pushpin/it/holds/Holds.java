package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.testing.Header;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;

/** Shared steps of the hold tests. */
final class Holds {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger SYNC = new AtomicInteger();
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    private Holds() {
    }

    /** A channel name no other test uses (subscriptions and last ids of one test never leak into another). */
    static String channel(String base) {
        return base + "-" + CHANNELS.incrementAndGet();
    }

    /** An origin answer that holds the request as a stream on {@code channels} with {@code initial} as body. */
    static Reply stream(String initial, String... channels) {
        Reply r = Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "stream");
        for (String c : channels) {
            r.header("Grip-Channel", c);
        }
        return r.body(initial);
    }

    /** An origin answer that holds the request as a long-poll on {@code channel}; its body goes out on timeout. */
    static Reply response(String channel, String timeoutBody) {
        return response(channel, timeoutBody, "text/plain");
    }

    static Reply response(String channel, String timeoutBody, String contentType) {
        return Reply.status(200).header("Content-Type", contentType).header("Grip-Hold", "response")
                .header("Grip-Channel", channel).body(timeoutBody);
    }

    /**
     * Makes sure every stream is subscribed to {@code channel}: publishes {@code sync-N} lines until each stream got
     * one, then marks each stream right after the last sync line, so {@link HeldStream#sinceMark()} holds only what
     * the test publishes next. (Per-channel order makes a late earlier sync line impossible after a later one.)
     */
    static void sync(Publish pub, String channel, HeldStream... streams) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = "sync-" + SYNC.incrementAndGet() + "\n";
            pub.stream(channel, line);
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            boolean all;
            do {
                all = true;
                for (HeldStream s : streams) {
                    all &= s.text().contains(line);
                }
                if (!all) {
                    Thread.sleep(10);
                }
            } while (!all && System.nanoTime() < until);
            if (all) {
                for (HeldStream s : streams) {
                    s.mark(s.text().indexOf(line) + line.length());
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("no sync line reached every stream on " + channel + ":");
                for (HeldStream s : streams) {
                    sb.append("\n  ").append(s);
                }
                throw new AssertionError(sb.toString());
            }
        }
    }

    /**
     * Publishes {@code items} (in one request) to a long-poll until the client answers (the subscription may not be
     * in place the moment the origin answered), and returns the response.
     */
    static RawResponse publishUntilAnswered(Publish pub, RawClient client, Publish.Item... items) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            pub.publish(items);
            RawClient.Outcome o = client.outcome(Duration.ofMillis(300));
            if (o instanceof RawClient.Responded r) {
                return r.response();
            }
            assertThat(o).as("long-poll connection").isInstanceOf(RawClient.Silent.class);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the long-poll never answered a publish of " + Arrays.toString(items));
            }
        }
    }

    static void assertNoGripHeaders(Iterable<Header> headers) {
        assertThat(headers).noneMatch(h -> h.name().toLowerCase(Locale.ROOT).startsWith("grip-"));
    }

    static void assertNoGripHeaders(RawResponse r) {
        assertNoGripHeaders(r.headers());
    }
}
