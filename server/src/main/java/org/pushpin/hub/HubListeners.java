package org.pushpin.hub;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of the hub's channel events (first subscriber, last one gone, {@code recover}): added from any thread,
 * told on the hub thread in the order the events happened. One listener that throws is logged; the others still
 * hear.
 */
final class HubListeners {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private final CopyOnWriteArrayList<Consumer<String>> first = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> last = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> recover = new CopyOnWriteArrayList<>();

    void onFirst(Consumer<String> listener) {
        first.add(requireNonNull(listener, "listener"));
    }

    void onLast(Consumer<String> listener) {
        last.add(requireNonNull(listener, "listener"));
    }

    void onRecover(Runnable listener) {
        recover.add(requireNonNull(listener, "listener"));
    }

    void first(String channel) {
        tell(first, channel, "first-subscription");
    }

    void last(String channel) {
        tell(last, channel, "last-unsubscription");
    }

    void recovered() {
        for (Runnable l : recover) {
            try {
                l.run();
            } catch (Throwable e) {
                LOG.warn("recover listener failed", e);
            }
        }
    }

    private static void tell(CopyOnWriteArrayList<Consumer<String>> listeners, String channel, String what) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(channel);
            } catch (Throwable e) {
                LOG.warn("{} listener failed", what, e);
            }
        }
    }
}
