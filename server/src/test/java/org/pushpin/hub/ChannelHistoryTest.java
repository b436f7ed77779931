package org.pushpin.hub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pushpin.config.HistoryConfig;
import org.pushpin.message.Action;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.HistoryMetrics;

/** The per-channel history store (docs/history.md): bounded by size and ttl, counted, ids looked up newest first. */
class ChannelHistoryTest {
    private static final DeliveryKind<?>[] NO_KINDS = new DeliveryKind<?>[0];
    private final HistoryMetrics metrics = new HistoryMetrics();

    private static PublishItem item(String channel, String id, String content) {
        return new PublishItem(channel, id, null, Map.of(), false, -1, null,
                new HttpStreamFormat(Action.SEND, content.getBytes(UTF_8), List.of()), null);
    }

    private static List<String> ids(ChannelHistory.After a) {
        return a.items().stream().map(p -> p.item().id()).toList();
    }

    @Test
    void keepsTheLastSizeItemsPerChannelAndCountsThem() {
        ChannelHistory h = new ChannelHistory(new HistoryConfig(3, 60), metrics);
        long now = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            h.record(item("a", "a" + i, "12345"), NO_KINDS, now);
        }
        h.record(item("b", "b1", "xy"), NO_KINDS, now);
        assertThat(metrics.items()).isEqualTo(4);
        assertThat(metrics.bytes()).isEqualTo(3 * 5 + 2);
        assertThat(ids(h.after("a", "a3"))).containsExactly("a4", "a5");
        assertThat(ids(h.after("a", "a5"))).isEmpty();
        assertThat(h.after("a", "a2").found()).as("pushed out").isFalse();
        assertThat(h.after("a", "b1").found()).as("another channel's id").isFalse();
        assertThat(h.after("a", "a4").upTo()).isEqualTo(6);
    }

    @Test
    void anIdUsedTwiceResumesAfterItsNewestItem() {
        ChannelHistory h = new ChannelHistory(new HistoryConfig(10, 60), metrics);
        long now = System.nanoTime();
        h.record(item("a", "x", "1"), NO_KINDS, now);
        h.record(item("a", null, "2"), NO_KINDS, now);
        h.record(item("a", "x", "3"), NO_KINDS, now);
        h.record(item("a", "y", "4"), NO_KINDS, now);
        assertThat(ids(h.after("a", "x"))).containsExactly("y");
    }

    @Test
    void aCloseIsNotReplayedButTheItemsAroundItAre() {
        ChannelHistory h = new ChannelHistory(new HistoryConfig(10, 60), metrics);
        long now = System.nanoTime();
        h.record(item("a", "1", "one"), NO_KINDS, now);
        h.record(new PublishItem("a", null, null, Map.of(), false, -1, null,
                new HttpStreamFormat(Action.CLOSE, new byte[0], List.of()), null), NO_KINDS, now);
        h.record(item("a", "2", "two"), NO_KINDS, now);
        assertThat(ids(h.after("a", "1"))).as("the close ended the connections of its time only").containsExactly("2");
    }

    @Test
    void expiredItemsGoOnReadAndOnHousekeepingAndEmptyChannelsLeave() {
        ChannelHistory h = new ChannelHistory(new HistoryConfig(10, 1), metrics);
        long old = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
        h.record(item("a", "a1", "abc"), NO_KINDS, old);
        h.record(item("b", "b1", "abc"), NO_KINDS, old);
        assertThat(h.items()).as("each expired at once on its own write").isZero();
        assertThat(metrics.items()).isZero();
        assertThat(metrics.bytes()).isZero();

        h.record(item("c", "c1", "abc"), NO_KINDS, System.nanoTime());
        assertThat(h.after("c", "c1").found()).isTrue();
        h.prune(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertThat(h.items()).isZero();
        assertThat(h.after("c", "c1").found()).isFalse();
        assertThat(metrics.items()).isZero();
    }

    @Test
    void replayOfSeveralChannelsIsInFanoutOrderAndAMissIsCountedOnce() {
        ChannelHistory h = new ChannelHistory(new HistoryConfig(10, 60), metrics);
        long now = System.nanoTime();
        h.record(item("a", "s", "1"), NO_KINDS, now);
        h.record(item("b", "s", "1"), NO_KINDS, now);
        h.record(item("b", "b2", "1"), NO_KINDS, now);
        h.record(item("a", "a2", "1"), NO_KINDS, now);
        h.record(item("b", "b3", "1"), NO_KINDS, now);
        HistoryReplay r = HistoryReplay.of(h, new String[] {"a", "b"}, "s");
        assertThat(r.items()).extracting(p -> p.item().id()).containsExactly("b2", "a2", "b3");
        assertThat(r.upTo()).isEqualTo(5);
        assertThat(metrics.replayed()).isEqualTo(3);
        assertThat(metrics.misses()).isZero();

        HistoryReplay miss = HistoryReplay.of(h, new String[] {"a", "b"}, "nope");
        assertThat(miss.found()).isFalse();
        assertThat(miss.items()).isEmpty();
        assertThat(metrics.misses()).isEqualTo(1);
    }

    /**
     * Measures the memory a kept item costs beyond its content: 200,000 items of 1 byte kept on 100 channels,
     * heap compared before and after. Prints the figure docs/history.md states
     * ({@code mvn -pl server test -Dtest=ChannelHistoryTest#overheadPerItem}); asserts a loose bound only.
     */
    @Test
    void overheadPerItem() {
        int n = 200_000;
        PublishItem[] items = new PublishItem[n];
        for (int i = 0; i < n; i++) {
            items[i] = item("ch" + (i % 100), Integer.toString(i), "x");
        }
        ChannelHistory h = new ChannelHistory(new HistoryConfig(n, 3600), metrics);
        long before = usedAfterGc();
        long now = System.nanoTime();
        for (PublishItem item : items) {
            h.record(item, NO_KINDS, now);
        }
        long after = usedAfterGc();
        double perItem = (after - before) / (double) n;
        System.out.printf("history overhead per kept item: %.1f bytes (beyond the item and its encodings)%n",
                perItem);
        assertThat(h.items()).isEqualTo(n);
        assertThat(perItem).isBetween(8.0, 200.0);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
