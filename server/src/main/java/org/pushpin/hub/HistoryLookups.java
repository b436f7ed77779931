package org.pushpin.hub;

import io.netty.channel.EventLoop;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The lookups a resuming subscriber makes in the kept items ({@link ChannelHistory}, docs/history.md): each runs on
 * the hub thread, where the history is written, and its answer goes back to the subscriber's loop. Exists only
 * while {@code history_size} is set ({@link Hub#history()}).
 */
public final class HistoryLookups {
    private final ChannelHistory history;
    /** Runs a task on the hub thread; false once the hub is closed. */
    private final Predicate<Runnable> onHubThread;

    HistoryLookups(ChannelHistory history, Predicate<Runnable> onHubThread) {
        this.history = history;
        this.onHubThread = onHubThread;
    }

    /**
     * Looks {@code lastId} up in each of {@code channels}' history on the hub thread, then runs {@code then} on
     * {@code loop} with what came later ({@link HistoryReplay}). A subscriber that subscribed on {@code loop} before
     * calling this gets, from live deliveries, every item after the replay's {@link HistoryReplay#upTo()}.
     */
    public void replayAfter(EventLoop loop, String[] channels, String lastId, Consumer<HistoryReplay> then) {
        ask(loop, () -> HistoryReplay.of(history, channels, lastId), then);
    }

    /** As {@link #replayAfter}, for a long-poll: at most the first later item after a channel's prev-id. */
    public void nextAfter(EventLoop loop, String[] channels, String[] prevIds, Consumer<HistoryReplay> then) {
        ask(loop, () -> HistoryReplay.next(history, channels, prevIds), then);
    }

    private void ask(EventLoop loop, Supplier<HistoryReplay> lookup, Consumer<HistoryReplay> then) {
        onHubThread.test(() -> {
            HistoryReplay r = lookup.get();
            loop.execute(() -> then.accept(r));
        });
    }
}
