package org.pushpin.ingest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pushpin.publish.Publisher;
import org.pushpin.message.PublishItem;

/** A {@link Publisher} that remembers what it was given (the real hub lives elsewhere). */
public final class RecordingPublisher implements Publisher {
    private final BlockingQueue<List<PublishItem>> batches = new LinkedBlockingQueue<>();
    private final AtomicInteger recovers = new AtomicInteger();

    @Override
    public CompletionStage<Void> publish(List<PublishItem> items) {
        batches.add(List.copyOf(items));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void recover() {
        recovers.incrementAndGet();
    }

    /** The next batch handed over, waiting up to 5 s; fails when none comes. */
    public List<PublishItem> next() throws InterruptedException {
        List<PublishItem> b = batches.poll(5, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("nothing was published");
        }
        return b;
    }

    /**
     * Whether nothing (more) was published. No grace period is needed: the control API hands a request's items over
     * before it answers, so once a client has its answer, nothing of that request is still on the way.
     */
    public boolean quiet() {
        return batches.isEmpty();
    }

    /** Forgets what earlier requests published (all of them answered already: see {@link #quiet()}). */
    public void clear() {
        batches.clear();
    }

    public int recovers() {
        return recovers.get();
    }
}
