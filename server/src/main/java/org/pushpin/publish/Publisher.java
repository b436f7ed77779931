package org.pushpin.publish;

import java.util.List;
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

    /** {@code recover}: forget per-channel last ids and ask every HTTP hold to update (docs/publishing.md). */
    void recover();
}
