package org.pushpin.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery feedback across instances through Redis (docs/delivery-feedback.md). An item whose publisher asked goes
 * out with a header naming this instance's reply channel, a token and the item's index:
 * {@code #feedback <reply> <token> <index>\n} before its JSON (which never starts with {@code #}). Each instance
 * that fans it out publishes its counts to that reply channel ({@code <token> <index> <counts>}); this instance
 * sums them. It waits for as many answers as PUBLISH said it reached subscribers (one per instance holding the
 * channel: an instance subscribes to a channel once, whatever its connections), or until the publisher's wait
 * ends. The reply channel is subscribed the first time a publisher asks, never before.
 */
final class RedisFeedback {
    private static final String HEADER = "#feedback ";

    /** The reply channel's name (the broker puts its prefix before it, as before every channel). */
    final String replyChannel = "feedback:" + UUID.randomUUID();
    private final AtomicLong tokens = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    /** The header before the JSON of item {@code index} of publish {@code token}. */
    byte[] frame(long token, int index, byte[] json) {
        byte[] head = (HEADER + replyChannel + " " + token + " " + index + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + json.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        return out;
    }

    /** A received item's feedback header, or null when it has none. */
    record Asked(String replyChannel, String token, int index, int bodyStart) {
        /** The answer with {@code counts} for the reply channel. */
        byte[] answer(ItemCounts counts) {
            return (token + " " + index + " " + counts.encode()).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Reads the header of {@code message}; null when it has none; IllegalArgumentException when malformed. */
    static Asked asked(byte[] message) {
        if (message.length == 0 || message[0] != '#') {
            return null;
        }
        int nl = 0;
        while (nl < message.length && message[nl] != '\n') {
            nl++;
        }
        String head = new String(message, 0, nl, StandardCharsets.UTF_8);
        String[] parts = head.split(" ");
        if (nl == message.length || !head.startsWith(HEADER) || parts.length != 4) {
            throw new IllegalArgumentException("malformed feedback header");
        }
        return new Asked(parts[1], parts[2], Integer.parseInt(parts[3]), nl + 1);
    }

    /** A publish of {@code size} items waiting for answers; completes at the latest after {@code waitMillis}. */
    Pending open(int size, long waitMillis, ScheduledExecutorService timer) {
        Pending p = new Pending(tokens.incrementAndGet(), size);
        pending.put(p.token, p);
        var t = timer.schedule(p::finish, waitMillis, TimeUnit.MILLISECONDS);
        p.done.whenComplete((r, e) -> {
            t.cancel(false);
            pending.remove(p.token);
        });
        if (size == 0) {
            p.finish(); // nothing to wait for
        }
        return p;
    }

    /** An answer on the reply channel; a late or unknown one is ignored. */
    void answer(byte[] message) {
        String[] parts = ItemCounts.text(message).split(" ");
        if (parts.length != 10) {
            throw new IllegalArgumentException("malformed feedback answer");
        }
        long token = Long.parseLong(parts[0]);
        int index = Integer.parseInt(parts[1]);
        ItemCounts counts = ItemCounts.decode(parts, 2);
        Pending p = pending.get(token);
        if (p != null) {
            p.answered(index, counts);
        }
    }

    /** One publish's sums so far. Guarded by itself: answers come on Redis's threads, the timer on its own. */
    static final class Pending {
        final long token;
        final CompletableFuture<ClusterCounts> done = new CompletableFuture<>();
        private final ItemCounts[] sums;
        private final int[] answers;
        /** Per item: how many subscribers PUBLISH reached, -1 until it said. */
        private final long[] expected;

        Pending(long token, int size) {
            this.token = token;
            sums = new ItemCounts[size];
            answers = new int[size];
            expected = new long[size];
            java.util.Arrays.fill(sums, ItemCounts.NONE);
            java.util.Arrays.fill(expected, -1);
        }

        synchronized void expect(int index, long receivers) {
            expected[index] = receivers;
            if (allIn()) {
                finish();
            }
        }

        synchronized void answered(int index, ItemCounts counts) {
            if (index < 0 || index >= sums.length) {
                throw new IllegalArgumentException("no item " + index);
            }
            sums[index] = sums[index].plus(counts);
            answers[index]++;
            if (allIn()) {
                finish();
            }
        }

        private boolean allIn() {
            for (int i = 0; i < sums.length; i++) {
                if (expected[i] < 0 || answers[i] < expected[i]) {
                    return false;
                }
            }
            return true;
        }

        /** With what is known now (the wait is over, or everybody answered). */
        synchronized void finish() {
            List<Boolean> answered = new ArrayList<>(sums.length);
            long instances = 0;
            for (int i = 0; i < sums.length; i++) {
                answered.add(expected[i] >= 0 && answers[i] >= expected[i]);
                instances = Math.max(instances, Math.max(expected[i], answers[i]));
            }
            done.complete(new ClusterCounts(List.of(sums), answered, (int) instances));
        }
    }
}
