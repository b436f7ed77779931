package org.pushpin.server;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code client_maxconn}: at the limit the listeners stop accepting, so further connections wait in the kernel's
 * listen backlog (as Pushpin's do) instead of being refused; accepting resumes when a connection closes.
 * A listener may accept a few connections of the batch in progress before it stops.
 */
final class ConnectionLimiter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();

    ConnectionLimiter(int max) {
        this.max = max <= 0 ? Integer.MAX_VALUE : max;
    }

    void addListener(Channel serverChannel) {
        listeners.add(serverChannel);
    }

    /** Counts a new client connection; the count goes down when it closes. */
    void opened(Channel client) {
        if (open.incrementAndGet() >= max) {
            setAccepting(false);
        }
        client.closeFuture().addListener(f -> {
            if (open.decrementAndGet() < max) {
                setAccepting(true);
            }
        });
    }

    int open() {
        return open.get();
    }

    private void setAccepting(boolean accepting) {
        for (Channel l : listeners) {
            if (l.config().isAutoRead() != accepting) {
                l.config().setAutoRead(accepting);
            }
        }
    }
}
