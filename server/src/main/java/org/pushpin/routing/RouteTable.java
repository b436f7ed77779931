package org.pushpin.routing;

import java.util.Optional;

/** An immutable, parsed routes table. Safe to share between event loops. */
public interface RouteTable {

    /**
     * Pushpin's matching rules (config.md §7): the exact host's rules if any exist, else the {@code *} rules;
     * keep those whose proto, ssl and path_beg match; prefer a rule with {@code proto}, then the longest
     * {@code path_beg}, then one with {@code ssl}.
     *
     * @param host      request host without port, any case
     * @param path      the encoded request path (with query)
     * @param tls       whether the client connection is TLS (or marked so by X-Forwarded-Proto)
     * @param websocket whether the request is a WebSocket handshake
     */
    Optional<Route> match(String host, String path, boolean tls, boolean websocket);

    /** The route with this {@code id}; empty when none, or when the id is used by more than one line. */
    Optional<Route> byId(String id);
}
