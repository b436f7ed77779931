package org.pushpin.bench.load;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure every ready WebSocket's subscription is in force before it counts as held: publishes a
 * {@value WsClient#PROBE} message to each room that has ready but unconfirmed clients, waits until they all got it,
 * and repeats for those that did not (a server may subscribe a moment after relaying the origin's messages).
 * Clients still without a probe after the last round are counted as failed. Costs one publish round when the
 * server subscribes before its next delivery, and no per-connection timer.
 */
final class SubscriptionProbe {
    private static final int ROUNDS = 10;
    private static final long ROUND_WAIT_MS = 1000;

    private final ConnectionHolder holder;
    private final Publisher publisher;
    private final int rooms;

    SubscriptionProbe(ConnectionHolder holder, Publisher publisher, int rooms) {
        this.holder = holder;
        this.publisher = publisher;
        this.rooms = rooms;
    }

    /** Returns the number of clients that never got a probe (now counted as failed and closed). */
    int confirmAll() throws IOException, InterruptedException {
        List<WsClient> waiting = holder.unconfirmed();
        for (int round = 0; round < ROUNDS && !waiting.isEmpty(); round++) {
            Set<Integer> targets = new TreeSet<>();
            for (WsClient c : waiting) {
                targets.add(c.index() % rooms);
            }
            publisher.publish(PublishBody.probe(targets));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_WAIT_MS);
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
                waiting.removeIf(c -> c.isConfirmed() || !c.isReady());
            }
            if (!waiting.isEmpty()) {
                Log.line("  probe round %d: %d WebSockets not yet reached", round + 1, waiting.size());
            }
        }
        for (WsClient c : waiting) {
            c.unconfirmed();
        }
        return waiting.size();
    }
}
