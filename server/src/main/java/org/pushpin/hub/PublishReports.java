package org.pushpin.hub;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.pushpin.broker.Broker;
import org.pushpin.broker.ItemCounts;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.DeliveryReport;

/**
 * The publishes whose publisher asked what became of its items (drop reports, delivery feedback): each gets a
 * {@link ReportedPublish}, registered on the hub thread under the very list handed to the broker before the broker
 * has it, so that the batch finds its report when it comes back to {@link Hub}'s fanout.
 */
final class PublishReports {
    private final Broker broker;
    private final ServerMetrics metrics;
    private final EventExecutor hubExecutor;
    /** Runs a task on the hub thread; false once the hub is closed. */
    private final Predicate<Runnable> onHubThread;
    private final Consumer<List<PublishItem>> fanOutHere;
    /** Hub thread: the reports waited for, by the identity of the list handed to the broker. */
    private final IdentityHashMap<List<PublishItem>, ReportedPublish> reported = new IdentityHashMap<>();

    PublishReports(Broker broker, ServerMetrics metrics, EventExecutor hubExecutor, Predicate<Runnable> onHubThread,
                   Consumer<List<PublishItem>> fanOutHere) {
        this.broker = broker;
        this.metrics = metrics;
        this.hubExecutor = hubExecutor;
        this.onHubThread = onHubThread;
        this.fanOutHere = fanOutHere;
    }

    /** Hub thread: the report waited for by the batch {@code copy}, taken out; null when nobody waits for it. */
    ReportedPublish take(List<PublishItem> copy) {
        return reported.isEmpty() ? null : reported.remove(copy);
    }

    /** Publishes {@code items}; the report completes when all ran, or after {@code waitMillis} (&gt; 0). */
    CompletionStage<DeliveryReport> publishReporting(List<PublishItem> items, long waitMillis) {
        List<PublishItem> copy = ownList(items);
        ReportedPublish report = new ReportedPublish(copy.size(), metrics);
        if (waitMillis > 0) {
            report.giveUpAfter(hubExecutor, waitMillis);
        }
        if (!onHubThread.test(() -> reported.put(copy, report))) {
            return CompletableFuture.failedStage(new IllegalStateException("the server is stopping"));
        }
        metrics.itemsReceived(copy.size());
        return CompletableFuture.completedStage(copy).thenCompose(broker::publish).whenComplete((v, e) -> {
            if (e != null) {
                onHubThread.test(() -> reported.remove(copy)); // refused: it will not come back
            }
        }).thenCompose(v -> report.done);
    }

    /** Through a cluster broker: every instance's counts, summed by the broker. */
    CompletionStage<DeliveryReport> publishCounting(List<PublishItem> items, long waitMillis) {
        List<PublishItem> copy = List.copyOf(items);
        metrics.itemsReceived(copy.size());
        return broker.publishCounting(copy, waitMillis).thenApply(ClusterFeedback::report);
    }

    /** From a cluster broker: items whose publisher (on any instance) asked what became of them here. */
    void countHere(List<PublishItem> items, Consumer<List<ItemCounts>> done) {
        List<PublishItem> copy = ownList(items);
        ReportedPublish report = new ReportedPublish(copy.size(), metrics);
        report.done.thenAccept(r -> done.accept(ClusterFeedback.counts(r)));
        if (onHubThread.test(() -> reported.put(copy, report))) {
            fanOutHere.accept(copy);
        }
    }

    /** A list of our own: reports are found by the list's identity. */
    private static List<PublishItem> ownList(List<PublishItem> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }
}
