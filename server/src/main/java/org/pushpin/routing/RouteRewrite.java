package org.pushpin.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * What a route changes in the request sent to the origin: the path and the Host header. Pure functions, checked
 * against Pushpin 1.36 (docs/configuration.md#path-and-host-rewriting).
 *
 * <p>Route {@code header=} props are applied by the proxy from {@link Route#headers()} (see there).
 */
public final class RouteRewrite {

    private RouteRewrite() {
    }

    /**
     * The request target to send to the origin. {@code path_rem} drops the first N bytes of the path, then
     * {@code replace_beg} puts its text in front; the query is left alone and an empty path becomes {@code /}.
     *
     * <p>Paths are encoded (ASCII), so one char is one byte. A result that does not start with {@code /} (for
     * example {@code path_rem=1}) is returned as is: Pushpin fails such a request with 502 "Error while proxying
     * to origin.", and the proxy may do the same.
     *
     * @param route        the matched route
     * @param pathAndQuery the client's request target in origin form, e.g. {@code /api/x?y=1}
     */
    public static String originPath(Route route, String pathAndQuery) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if (route.pathRemove() <= 0 && route.replaceBeg() == null) {
            return pathAndQuery;
        }
        int q = pathAndQuery.indexOf('?');
        String path = q >= 0 ? pathAndQuery.substring(0, q) : pathAndQuery;
        String query = q >= 0 ? pathAndQuery.substring(q) : "";
        if (route.pathRemove() > 0) {
            path = route.pathRemove() >= path.length() ? "" : path.substring(route.pathRemove());
        }
        if (route.replaceBeg() != null) {
            path = route.replaceBeg() + path;
        }
        if (path.isEmpty()) {
            path = "/";
        }
        return path + query;
    }

    /**
     * The Host header to send to the origin: the target's {@code host=} if set, else the route's {@code as_host},
     * else the client's Host, else {@code localhost} (what Pushpin sends for a request without Host). The value is
     * lower-cased, as Pushpin's URL handling does; a port is kept only where the chosen value has one (so
     * {@code as_host=example.com} drops the client's port).
     *
     * <p>Pushpin writes an IPv6 client host without brackets ({@code ::1:8080}), which is not a valid Host; we keep
     * the brackets.
     *
     * @param route      the matched route
     * @param target     the target being tried
     * @param clientHost the client's Host header value, or null when it sent none
     */
    public static String hostHeader(Route route, Target target, String clientHost) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(target, "target");
        String host;
        if (target.hostHeader() != null && !target.hostHeader().isEmpty()) {
            host = target.hostHeader();
        } else if (route.asHost() != null && !route.asHost().isEmpty()) {
            host = route.asHost();
        } else if (clientHost != null && !clientHost.isBlank()) {
            host = clientHost.trim();
        } else {
            host = "localhost";
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
