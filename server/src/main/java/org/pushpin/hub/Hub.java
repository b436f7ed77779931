package org.pushpin.hub;

import io.netty.channel.EventLoop;
import java.util.List;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.PublishItem;

/** API stub: the hub is being written (subscriptions per event loop, sequencing, limits, encode-once fanout). */
public final class Hub implements Publisher, AutoCloseable {
    public Hub(HandlerConfig config) {
    }

    /** Called on {@code loop}. */
    public void subscribe(EventLoop loop, String channel, Subscriber s) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Called on {@code loop}. */
    public void unsubscribe(EventLoop loop, String channel, Subscriber s) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void publish(List<PublishItem> items) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void recover() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
    }
}
