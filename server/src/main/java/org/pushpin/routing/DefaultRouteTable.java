package org.pushpin.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes table with Pushpin 1.36's lookup rules. Immutable once built; lookups take no locks, so every event
 * loop can share one instance and a reload swaps in a new one.
 */
final class DefaultRouteTable implements RouteTable {

    static final DefaultRouteTable EMPTY = new Builder().build();

    /** Condition host ({@code *} for the wildcard) → its rules in file order. */
    private final Map<String, List<Route>> byHost;
    /** Route id → route; a null value marks an id used by more than one line. */
    private final Map<String, Route> byId;
    private final List<Route> routes;

    private DefaultRouteTable(Map<String, List<Route>> byHost, Map<String, Route> byId, List<Route> routes) {
        this.byHost = byHost;
        this.byId = byId;
        this.routes = routes;
    }

    /** Every accepted route, in file order (condition-less ones included). */
    @Override
    public List<Route> routes() {
        return routes;
    }

    @Override
    public Optional<Route> match(String host, String path, boolean tls, boolean websocket) {
        List<Route> rules = byHost.get(normalizeRequestHost(host));
        if (rules == null) {
            // Only when the host has no rules at all: its own rules never fall back to the wildcard.
            rules = byHost.get("*");
            if (rules == null) {
                return Optional.empty();
            }
        }
        String p = pathOnly(path);
        Route best = null;
        // Pushpin's order-sensitive pick: each later rule replaces the best so far if it is "more specific".
        for (Route r : rules) {
            if (!isMatch(r, p, tls, websocket)) {
                continue;
            }
            if (best == null || isMoreSpecific(r, best)) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public Optional<Route> byId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public boolean isIdShared(String id) {
        return id != null && byId.containsKey(id) && byId.get(id) == null;
    }

    private static boolean isMatch(Route r, String path, boolean tls, boolean websocket) {
        if (r.proto() != null && r.proto().equals("ws") != websocket) {
            return false;
        }
        if (r.ssl() != null && r.ssl() != tls) {
            return false;
        }
        return r.pathBeg() == null || path.startsWith(r.pathBeg());
    }

    /**
     * Pushpin's rule, kept as is: a rule with proto beats one without (and loses to one with, whatever else);
     * otherwise a longer path_beg wins; otherwise a rule with ssl beats one without, even one with a longer
     * path_beg seen earlier. So with two rules differing only there, file order decides.
     */
    private static boolean isMoreSpecific(Route candidate, Route best) {
        if (candidate.proto() != null && best.proto() == null) {
            return true;
        }
        if (candidate.proto() == null && best.proto() != null) {
            return false;
        }
        if (length(candidate.pathBeg()) > length(best.pathBeg())) {
            return true;
        }
        return candidate.ssl() != null && best.ssl() == null;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** Route lookups use the path without its query, as Pushpin does. */
    private static String pathOnly(String path) {
        if (path == null) {
            return "";
        }
        int q = path.indexOf('?');
        return q >= 0 ? path.substring(0, q) : path;
    }

    /**
     * Host header value → the name routes are keyed by: lower case, no port, IPv6 without brackets. A request
     * without a host is looked up as {@code localhost}, the host Pushpin's connection manager gives such a request.
     */
    static String normalizeRequestHost(String host) {
        if (host == null || host.isBlank()) {
            return "localhost";
        }
        String h = host.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            h = close > 0 ? h.substring(1, close) : h.substring(1);
        } else {
            int colon = h.indexOf(':');
            // More than one colon: a bare IPv6 address, not host:port.
            if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
                h = h.substring(0, colon);
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** Collects routes with Pushpin's duplicate and id rules. */
    static final class Builder {
        private final Map<String, List<Route>> byHost = new LinkedHashMap<>();
        private final Map<String, Route> byId = new HashMap<>();
        private final List<Route> routes = new ArrayList<>();

        /**
         * Adds a route; false when a route with the same host, proto, ssl and path_beg is already in (the line is
         * then skipped, its id included).
         */
        boolean add(Route route) {
            if (route.host() != null) {
                for (Route other : byHost.getOrDefault(route.host(), List.of())) {
                    if (Objects.equals(other.proto(), route.proto())
                            && Objects.equals(other.ssl(), route.ssl())
                            && Objects.equals(other.pathBeg(), route.pathBeg())) {
                        return false;
                    }
                }
                byHost.computeIfAbsent(route.host(), h -> new ArrayList<>()).add(route);
            }
            String id = route.routeId();
            if (byId.containsKey(id)) {
                byId.put(id, null); // shared ids are unusable, as in Pushpin
            } else {
                byId.put(id, route);
            }
            routes.add(route);
            return true;
        }

        DefaultRouteTable build() {
            Map<String, List<Route>> hosts = new HashMap<>();
            byHost.forEach((h, list) -> hosts.put(h, List.copyOf(list)));
            return new DefaultRouteTable(hosts, new HashMap<>(byId), List.copyOf(routes));
        }
    }
}
