package org.pushpin.broker;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.pushpin.message.PublishItem;

/**
 * The seam between "a publish was accepted" and "fan it out to this instance's connections": where instances
 * share one channel space. The hub hands every accepted publish to {@link #publish}; the broker hands back, through
 * the {@link Fanout} given to {@link #start}, what must be delivered here — its own publishes and other instances'.
 * The hub tells it when this instance gains its first subscriber of a channel and loses its last one, so a
 * broker with a remote engine (Redis, ZeroMQ) listens only to channels somebody here holds.
 *
 * <p>Threads: {@link #start}, {@link #subscribe}, {@link #unsubscribe} and {@link #close} are called on the hub's
 * one thread, in order (a channel's subscribe and unsubscribe never race); {@link #publish} from any input's
 * thread. A broker may call {@link Fanout#fanOut} from any thread.
 *
 * <p>{@link EmbeddedBroker} (one instance, in-process) is the default.
 */
public interface Broker extends AutoCloseable {
    /** Where publishes to fan out on this instance go. */
    interface Fanout {
        /** Items for this instance's subscribers, in order; returns at once. */
        void fanOut(List<PublishItem> items);

        /**
         * As {@link #fanOut}, for items whose publisher asked for feedback: {@code done} gets what became of each
         * here once every delivery ran (docs/delivery-feedback.md).
         */
        default void fanOutCounting(List<PublishItem> items, Consumer<List<ItemCounts>> done) {
            fanOut(items);
        }
    }

    /** Called once, before anything else. */
    void start(Fanout local);

    /**
     * An accepted publish (items in the order the publisher sent them); returns at once. The stage completes once
     * the engine has the items (at once for an in-process broker), or fails when it cannot take them (the engine is
     * unreachable): the publisher must then hear of it, never be told it was accepted.
     */
    CompletionStage<Void> publish(List<PublishItem> items);

    /**
     * This instance got its first subscriber of {@code channel}. The returned stage completes once publishes on it
     * from every instance reach {@link Fanout#fanOut}; a hold sends nothing to its client before that, so a publish
     * accepted after the client saw its response is never missed.
     */
    CompletionStage<Void> subscribe(String channel);

    /**
     * True when {@link #subscribe} is in force the moment it is called (an in-process broker): holds then start
     * without waiting for the hub thread.
     */
    default boolean subscribesAtOnce() {
        return false;
    }

    /**
     * True when {@link #publish} hands the very list it was given to {@link Fanout#fanOut} (an in-process broker):
     * the hub can then follow those items to their deliveries and report drops to the publisher.
     */
    default boolean fansOutInPlace() {
        return false;
    }

    /**
     * True when {@link #publishCounting} works: every instance that fans an item out sends its counts back.
     */
    default boolean collectsFeedback() {
        return false;
    }

    /**
     * As {@link #publish}, asking every instance that fans the items out for its counts
     * ({@link Fanout#fanOutCounting}); completes with their sums once all answered, or after {@code waitMillis}
     * with those that had. Fails as {@link #publish} does.
     */
    default CompletionStage<ClusterCounts> publishCounting(List<PublishItem> items, long waitMillis) {
        return java.util.concurrent.CompletableFuture.failedStage(
                new UnsupportedOperationException("this broker collects no feedback"));
    }

    /**
     * The channel history this broker's engine keeps for every instance, or null (the default): history, when on,
     * is then kept per instance by the hub.
     */
    default KeptHistory keptHistory() {
        return null;
    }

    /** This instance has no subscriber of {@code channel} left (after any linger). */
    void unsubscribe(String channel);

    /** Stops; publishes still in flight may be dropped. Must not throw. */
    @Override
    void close();
}
