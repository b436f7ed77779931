package org.pushpin.hub;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookups a resuming subscriber makes in the kept items (docs/history.md): in this instance's
 * {@link ChannelHistory} on the hub thread, where it is written, or, when the broker keeps the history for every
 * instance, in the broker's ({@link SharedReplay}, without blocking any thread). The answer goes back to the
 * subscriber's loop. Exists only while {@code history_size} is set ({@link Hub#history()}).
 */
public final class HistoryLookups {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryLookups.class);

    /** Exactly one of these two is set. */
    private final ChannelHistory history;
    private final SharedReplay shared;
    /** Runs a task on the hub thread; false once the hub is closed. */
    private final Predicate<Runnable> onHubThread;

    HistoryLookups(ChannelHistory history, SharedReplay shared, Predicate<Runnable> onHubThread) {
        this.history = history;
        this.shared = shared;
        this.onHubThread = onHubThread;
    }

    /** Lookups in {@code history}, or in {@code kept} when the broker keeps it; null when both are (history off). */
    static HistoryLookups of(ChannelHistory history, org.pushpin.broker.KeptHistory kept, DeliveryKind<?>[] kinds,
                             Predicate<Runnable> onHubThread, org.pushpin.metrics.HistoryMetrics metrics) {
        if (kept != null) {
            return new HistoryLookups(null, new SharedReplay(kept, kinds, metrics), onHubThread);
        }
        return history == null ? null : new HistoryLookups(history, null, onHubThread);
    }

    /**
     * Looks {@code lastId} up in each of {@code channels}' history, then runs {@code then} on {@code loop} with what
     * came later ({@link HistoryReplay}). A subscriber that subscribed on {@code loop} before calling this gets, from
     * live deliveries, every item the replay does not cover (its gate drops the others).
     */
    public void replayAfter(EventLoop loop, String[] channels, String lastId, Consumer<HistoryReplay> then) {
        if (shared != null) {
            answer(loop, shared.after(channels, lastId), then);
        } else {
            ask(loop, () -> HistoryReplay.of(history, channels, lastId), then);
        }
    }

    /** As {@link #replayAfter}, for a long-poll: at most the first later item after a channel's prev-id. */
    public void nextAfter(EventLoop loop, String[] channels, String[] prevIds, Consumer<HistoryReplay> then) {
        if (shared != null) {
            answer(loop, shared.next(channels, prevIds), then);
        } else {
            ask(loop, () -> HistoryReplay.next(history, channels, prevIds), then);
        }
    }

    private void ask(EventLoop loop, Supplier<HistoryReplay> lookup, Consumer<HistoryReplay> then) {
        onHubThread.test(() -> {
            HistoryReplay r = lookup.get();
            loop.execute(() -> then.accept(r));
        });
    }

    /** A failed shared lookup (the broker unreachable) answers as not found: the client gets live items. */
    private static void answer(EventLoop loop, CompletableFuture<HistoryReplay> lookup,
                               Consumer<HistoryReplay> then) {
        lookup.whenComplete((r, e) -> {
            HistoryReplay answer = r;
            if (e != null) {
                LOG.warn("history lookup in the broker failed: {}", e.toString());
                answer = new HistoryReplay(java.util.List.of(), Long.MIN_VALUE, false);
            }
            HistoryReplay done = answer;
            loop.execute(() -> then.accept(done));
        });
    }
}
