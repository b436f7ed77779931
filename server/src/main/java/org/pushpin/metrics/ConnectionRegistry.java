package org.pushpin.metrics;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client connections open now, by id, for what must name them: the stats socket's {@code conn} packets (and
 * their TTL refresh) and the command socket's {@code conncheck} and {@code refresh {cid}}. Off unless one of those
 * is on ({@link #enable}): then {@link #open} returns null and nothing per connection is kept or counted.
 *
 * <p>A "connection" is what Pushpin's stats call one: an HTTP request from the moment it is routed until its
 * response (or the hold it became) ends, or a WebSocket from its handshake until it closes. When on, each costs
 * one {@link Connection} and one map entry (~150 bytes with its id), and routes with an {@code id} get counters of
 * their own ({@link RouteCounters}) for the per-route reports.
 */
public final class ConnectionRegistry {
    /** What a connection is to the stats ({@code type} of a {@code conn} packet). */
    public enum Type {
        HTTP("http"), WS("ws");

        public final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    /** Told of every connection opened and closed; called on the connection's event loop, so it must be quick. */
    public interface Listener {
        void connected(Connection c);

        void gone(Connection c);
    }

    /** One open connection. Immutable but for the refresher. */
    public static final class Connection {
        public final String id;
        public final Type type;
        /** Its route's counters, or null when the route has no {@code id}. */
        public final RouteCounters route;
        /** Client address, or null when unknown. */
        public final String peer;
        public final boolean ssl;
        /** Sequence number, which spreads TTL refreshes over their interval. */
        public final long seq;
        private final Runnable refresher;

        Connection(String id, Type type, RouteCounters route, String peer, boolean ssl, long seq,
                   Runnable refresher) {
            this.id = id;
            this.type = type;
            this.route = route;
            this.peer = peer;
            this.ssl = ssl;
            this.seq = seq;
            this.refresher = refresher;
        }
    }

    /** Counters of one route with an {@code id}: what a per-route {@code report} says. */
    public static final class RouteCounters {
        public final String id;
        private final LongAdder open = new LongAdder();
        private final LongAdder opened = new LongAdder();

        RouteCounters(String id) {
            this.id = id;
        }

        /** Connections open on this route now. */
        public long open() {
            return open.sum();
        }

        /** Connections opened on this route so far. */
        public long opened() {
            return opened.sum();
        }
    }

    private final ConcurrentHashMap<String, Connection> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RouteCounters> routes = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile String idPrefix;
    private volatile Listener listener;

    /**
     * Turns the registry on (before any client connects).
     *
     * @param instance names this server in connection ids ({@code <instance>:<n>}), so ids from two instances that
     *                 report to one stats reader do not clash
     */
    public void enable(String instance) {
        idPrefix = instance + ":";
    }

    public boolean enabled() {
        return idPrefix != null;
    }

    /** The one listener (the stats socket), or null to stop telling. */
    public void listener(Listener l) {
        listener = l;
    }

    /**
     * A connection opened: returns its entry (close it with {@link #close}), or null when the registry is off.
     *
     * @param routeId   its route's {@code id}, or null
     * @param id        its id when it has one already (a WebSocket-over-HTTP {@code Connection-Id}), else null
     * @param refresher what {@code refresh {cid}} runs (on any thread), or null when the connection has nothing to
     *                  refresh
     */
    public Connection open(Type type, String routeId, String peer, boolean ssl, String id, Runnable refresher) {
        String prefix = idPrefix;
        if (prefix == null) {
            return null;
        }
        long seq = sequence.incrementAndGet();
        RouteCounters route = null;
        if (routeId != null) {
            route = routes.computeIfAbsent(routeId, RouteCounters::new);
            route.open.increment();
            route.opened.increment();
        }
        Connection c = new Connection(id != null ? id : prefix + Long.toString(seq, 36), type, route, peer, ssl,
                seq, refresher);
        live.put(c.id, c);
        Listener l = listener;
        if (l != null) {
            l.connected(c);
        }
        return c;
    }

    /** The connection ended; null and a second call are ignored. */
    public void close(Connection c) {
        if (c == null || !live.remove(c.id, c)) {
            return;
        }
        if (c.route != null) {
            c.route.open.decrement();
        }
        Listener l = listener;
        if (l != null) {
            l.gone(c);
        }
    }

    /** Whether {@code id} names an open connection. */
    public boolean isOpen(String id) {
        return live.containsKey(id);
    }

    /** Runs the refresher of connection {@code id}; false when no open connection has that id. */
    public boolean refresh(String id) {
        Connection c = live.get(id);
        if (c == null) {
            return false;
        }
        if (c.refresher != null) {
            c.refresher.run();
        }
        return true;
    }

    /** The open connections: a live, weakly consistent view (iterate it from any thread). */
    public Collection<Connection> open() {
        return Collections.unmodifiableCollection(live.values());
    }

    /** The routes with an id that had connections: a live view. */
    public Collection<RouteCounters> routes() {
        return Collections.unmodifiableCollection(routes.values());
    }
}
