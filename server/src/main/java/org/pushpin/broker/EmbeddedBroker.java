package org.pushpin.broker;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pushpin.message.PublishItem;

/**
 * One instance, no engine: a publish is fanned out here at once, on the caller's thread, and subscriptions are in
 * force as soon as they are made. It costs one interface call per publish over the hub alone.
 */
public final class EmbeddedBroker implements Broker {
    private static final CompletionStage<Void> IN_FORCE = CompletableFuture.completedFuture(null);

    private volatile Fanout local;

    @Override
    public void start(Fanout local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    @Override
    public CompletionStage<Void> publish(List<PublishItem> items) {
        Fanout f = local;
        if (f == null) {
            throw new IllegalStateException("broker not started");
        }
        f.fanOut(items);
        return IN_FORCE;
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return IN_FORCE;
    }

    @Override
    public boolean subscribesAtOnce() {
        return true;
    }

    @Override
    public boolean fansOutInPlace() {
        return true;
    }

    @Override
    public void unsubscribe(String channel) {
    }

    @Override
    public void close() {
    }
}
