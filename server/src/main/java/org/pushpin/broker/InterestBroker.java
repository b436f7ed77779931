package org.pushpin.broker;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.pushpin.message.PublishItem;

/**
 * A {@link Broker} that also tells a {@link Listener} which channels this instance holds: the ZeroMQ SUB input
 * subscribes upstream to exactly those, so an XPUB publisher sees the interest. Everything else goes to the
 * broker it wraps. Called on the hub's thread, as {@link Broker} says.
 */
public final class InterestBroker implements Broker {
    /** Told of the first subscriber of a channel here and of the last one gone (after any linger). */
    public interface Listener {
        void channelWanted(String channel);

        void channelDropped(String channel);
    }

    private final Broker inner;
    private final Listener listener;

    public InterestBroker(Broker inner, Listener listener) {
        this.inner = inner;
        this.listener = listener;
    }

    @Override
    public void start(Fanout local) {
        inner.start(local);
    }

    @Override
    public CompletionStage<Void> publish(List<PublishItem> items) {
        return inner.publish(items);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        listener.channelWanted(channel);
        return inner.subscribe(channel);
    }

    @Override
    public boolean subscribesAtOnce() {
        return inner.subscribesAtOnce();
    }

    @Override
    public boolean fansOutInPlace() {
        return inner.fansOutInPlace();
    }

    @Override
    public KeptHistory keptHistory() {
        return inner.keptHistory();
    }

    @Override
    public void unsubscribe(String channel) {
        listener.channelDropped(channel);
        inner.unsubscribe(channel);
    }

    @Override
    public void close() {
        inner.close();
    }
}
