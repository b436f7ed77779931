package org.pushpin.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code client_maxconn}: at the limit the listeners stop accepting, so further connections wait in the kernel's
 * listen backlog (as Pushpin's do) instead of being refused. A listener accepts a batch at a time, so a few
 * connections may be accepted past the limit: those are parked (nothing is read from them) and admitted, oldest
 * first, as admitted connections close. Either way the client sees a connection that stays silent until there is
 * room. Only connects and closes touch this class, so a lock is fine.
 */
final class ConnectionLimiter {
    /** Fired down the pipeline of a parked connection when it is admitted. */
    static final Object ADMITTED = new Object();

    private final int max;
    private final List<Channel> listeners = new ArrayList<>();
    private final ArrayDeque<Channel> parked = new ArrayDeque<>();
    private int admitted;
    /** One listener for every admitted connection (a lambda per connection would cost 16 bytes each). */
    private final ChannelFutureListener onAdmittedClose = f -> admittedClosed();

    ConnectionLimiter(int max) {
        this.max = max <= 0 ? Integer.MAX_VALUE : max;
    }

    synchronized void addListener(Channel serverChannel) {
        listeners.add(serverChannel);
    }

    /** Counts a new client connection; returns false when it must wait (it is admitted later by an event). */
    synchronized boolean opened(Channel client) {
        boolean admit = admitted < max;
        if (admit) {
            admitted++;
            client.closeFuture().addListener(onAdmittedClose);
        } else {
            parked.addLast(client);
            client.closeFuture().addListener(f -> parkedClosed(client));
        }
        updateAccepting();
        return admit;
    }

    private synchronized void admittedClosed() {
        admitted--;
        Channel next;
        while (admitted < max && (next = parked.pollFirst()) != null) {
            if (next.isActive()) {
                admitted++;
                Channel ch = next;
                ch.closeFuture().addListener(onAdmittedClose);
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ADMITTED));
            }
        }
        updateAccepting();
    }

    private synchronized void parkedClosed(Channel client) {
        parked.remove(client);
    }

    private void updateAccepting() {
        boolean accepting = admitted < max && parked.isEmpty();
        for (Channel l : listeners) {
            if (l.config().isAutoRead() != accepting) {
                l.config().setAutoRead(accepting);
            }
        }
    }
}
