package org.pushpin.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pushpin.config.ProxyConfig;

/** Picks where routes come from, as Pushpin does: {@code --route} lines if any (fixed), else the watched file. */
public final class RouteSources {

    private RouteSources() {
    }

    /**
     * {@link FixedRoutes} when {@code --route} lines were given, else a started {@link RoutesFile} (a missing file
     * gives an empty table and a warning). The result is {@link AutoCloseable} when it holds the watch thread;
     * close it on shutdown.
     */
    public static RouteSource open(ProxyConfig proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return open(proxy.routesFile(), proxy.routeLines());
    }

    /** The same from the routes file and the {@code --route} lines (null or empty: none). */
    public static RouteSource open(Path routesFile, List<String> routeLines) {
        if (routeLines != null && !routeLines.isEmpty()) {
            return FixedRoutes.of(routeLines);
        }
        return RoutesFile.open(Objects.requireNonNull(routesFile, "routesFile"));
    }
}
