package org.pushpin.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pushpin.message.PublishItem;

/**
 * Where every publish input hands its items (the HTTP control API today; ZeroMQ sockets and the command socket
 * later): one entry point, whatever the input. Thread-safe; an input calls it from its own thread.
 */
public interface Publisher {
    /**
     * Hands the items over for delivery, in order; returns at once (delivery is asynchronous). The stage completes
     * when they were accepted for delivery, and fails when they could not be (a cluster broker that is down): an
     * input that can answer its publisher answers after it.
     */
    CompletionStage<Void> publish(List<PublishItem> items);

    /**
     * Whether {@link #publishReporting} can tell what became of the items: true only where they are fanned out by
     * this instance as handed over (not through a cluster broker, which hands back copies from its engine).
     */
    default boolean reportsDrops() {
        return false;
    }

    /**
     * As {@link #publish}, but the stage completes only once every item was handed out on this instance (each
     * delivery ran on its loop, or was dropped) or was discarded, with what became of each: delivery is then no
     * longer asynchronous for this publisher. Fails as {@link #publish} does, or when {@link #reportsDrops} is false.
     */
    default CompletionStage<DeliveryReport> publishReporting(List<PublishItem> items) {
        return CompletableFuture.failedStage(new UnsupportedOperationException("drop reports are not available"));
    }

    /**
     * As {@link #publishReporting(List)}, but the stage completes after at most {@code waitMillis} (&gt; 0; 0: no
     * bound) with what is known by then: a report whose {@link DeliveryReport#complete} is false
     * (docs/delivery-feedback.md).
     */
    default CompletionStage<DeliveryReport> publishReporting(List<PublishItem> items, long waitMillis) {
        return publishReporting(items);
    }

    /**
     * Whether {@link #publishWithFeedback} can count what became of the items (docs/delivery-feedback.md): with the
     * in-process broker, and with a cluster broker that collects every instance's counts.
     */
    default boolean reportsFeedback() {
        return reportsDrops();
    }

    /**
     * As {@link #publish}, the stage completing once every instance that fanned the items out said what became of
     * them, or after {@code waitMillis} with what is known by then ({@link DeliveryReport#complete} false).
     */
    default CompletionStage<DeliveryReport> publishWithFeedback(List<PublishItem> items, long waitMillis) {
        return publishReporting(items, waitMillis);
    }

    /** {@code recover}: forget per-channel last ids and ask every HTTP hold to update (docs/publishing.md). */
    void recover();
}
