package org.pushpin.broker;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.pushpin.message.PublishItem;

/**
 * Channel history kept by a broker's engine, shared by every instance that uses it (docs/history.md): a client may
 * resume on any instance. Lookups never block a thread; their stages complete on the engine's threads.
 */
public interface KeptHistory {
    /**
     * One kept item and its place in the engine's order: {@code order} increases in the order items were published,
     * comparable across channels (a Redis stream id as one number: milliseconds and sequence).
     */
    record Kept(long millis, long sequence, PublishItem item) {
    }

    /**
     * The items of {@code channel} kept after the newest one whose id is {@code id}, oldest first; completes with
     * null when that id is not kept (never published, pushed out, expired, or the engine lost its data).
     */
    CompletionStage<List<Kept>> after(String channel, String id);
}
