package org.pushpin.routing;

import java.util.List;
import java.util.Optional;

/** An immutable, parsed routes table. Safe to share between event loops. */
public interface RouteTable {

    /**
     * Pushpin's matching rules (docs/configuration.md#matching): the exact host's rules if any exist, else the
     * {@code *} rules; keep those whose proto, ssl and path_beg match; prefer a rule with {@code proto}, then the
     * longest {@code path_beg}, then one with {@code ssl}.
     *
     * <p>Pushpin's pick is order-sensitive in one corner: a later rule with {@code ssl} replaces an earlier match
     * without it even if that one had a longer {@code path_beg} (verified against 1.36, kept).
     *
     * @param host      request host (the Host header value: any case, a port and IPv6 brackets are ignored);
     *                  null or empty is looked up as {@code localhost}, as Pushpin does
     * @param path      the encoded request path; a query, if present, is ignored (Pushpin matches the path only)
     * @param tls       whether the client connection is TLS (or marked so by X-Forwarded-Proto)
     * @param websocket whether the request is a WebSocket handshake
     */
    Optional<Route> match(String host, String path, boolean tls, boolean websocket);

    /**
     * The route with this id ({@link Route#routeId()}: {@code id=}, or the one derived from the condition); empty
     * when none, or when the id is used by more than one line. Condition-less lines are reachable only here.
     */
    Optional<Route> byId(String id);

    /**
     * Whether this id is used by more than one line. Pushpin's {@code Pushpin-Route} handling: a shared id falls
     * back to {@link #match} (as if the header were absent), while an unknown id gives no route (502).
     */
    default boolean isIdShared(String id) {
        return false;
    }

    /** Every route of the table, in file order; the services its targets need are set up from it. */
    default List<Route> routes() {
        return List.of();
    }
}
