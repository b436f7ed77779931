package org.pushpin.routing;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes given with {@code --route}: parsed once, never reloaded (they replace the routes file). */
public final class FixedRoutes implements RouteSource {

    private static final Logger log = LoggerFactory.getLogger(FixedRoutes.class);

    private final RouteTable table;
    private final List<RoutesParser.Warning> warnings;

    private FixedRoutes(RoutesParser.ParseResult result) {
        this.table = result.table();
        this.warnings = result.warnings();
    }

    /** Parses the lines; a bad one is logged as a warning ({@code <route>:1: reason}) and left out. */
    public static FixedRoutes of(List<String> routeLines) {
        RoutesParser.ParseResult result = RoutesParser.parseRouteArgs(routeLines);
        RouteLog.skipped(log, result.warnings());
        RouteLog.loaded(log, result.routes(), false);
        return new FixedRoutes(result);
    }

    @Override
    public RouteTable current() {
        return table;
    }

    public List<RoutesParser.Warning> warnings() {
        return warnings;
    }
}
