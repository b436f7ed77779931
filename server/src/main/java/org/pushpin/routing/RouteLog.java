package org.pushpin.routing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * What a person reads about the routes at start-up and on reload: the count (Pushpin's line), each route in one short
 * line, and for a skipped line Pushpin's reason followed by what a good line looks like.
 */
public final class RouteLog {
    /** Up to this many routes are listed at info; a longer file is listed at debug (log level 3) only. */
    static final int LISTED_AT_INFO = 20;

    private RouteLog() {
    }

    /** Logs the count, then each route: at info for a short file, else at debug with a line saying so. */
    public static void loaded(Logger log, List<Route> routes, boolean reload) {
        log.info("routes {} with {} entries", reload ? "reloaded" : "loaded", routes.size());
        boolean atInfo = routes.size() <= LISTED_AT_INFO;
        if (!atInfo) {
            log.info("{} routes: each is listed at log level 3 (--verbose)", routes.size());
        }
        for (Route r : routes) {
            if (atInfo) {
                log.info("route: {}", brief(r));
            } else {
                log.debug("route: {}", brief(r));
            }
        }
    }

    /** Logs each skipped line with its fix. */
    public static void skipped(Logger log, List<RoutesParser.Warning> warnings) {
        for (RoutesParser.Warning w : warnings) {
            log.warn("{}", explain(w));
        }
    }

    /** {@code example.com/api/ -> localhost:8080 (over_http)}, with the line number when it has one. */
    static String brief(Route r) {
        StringBuilder b = new StringBuilder(r.host() == null ? "(no condition)" : r.host());
        if (r.pathBeg() != null) {
            b.append(r.pathBeg().startsWith("/") ? "" : " path_beg=").append(r.pathBeg());
        }
        if (r.proto() != null) {
            b.append(" proto=").append(r.proto());
        }
        if (r.ssl() != null) {
            b.append(" ssl=").append(r.ssl() ? "yes" : "no");
        }
        b.append(" -> ");
        List<String> targets = new ArrayList<>(r.targets().size());
        for (Target t : r.targets()) {
            StringBuilder tb = new StringBuilder(t.address());
            List<String> flags = new ArrayList<>();
            if (t.ssl()) {
                flags.add("ssl");
            }
            if (t.overHttp()) {
                flags.add("over_http");
            }
            if (!t.subscriptions().isEmpty()) {
                flags.add("sub=" + String.join(",", t.subscriptions()));
            }
            if (!flags.isEmpty()) {
                tb.append(" (").append(String.join(", ", flags)).append(')');
            }
            targets.add(tb.toString());
        }
        b.append(String.join(" | ", targets));
        if (r.line() > 0) {
            b.append("  [line ").append(r.line()).append(']');
        }
        return b.toString();
    }

    /** Pushpin's warning text, then what to write instead, for the reasons that do not say it themselves. */
    static String explain(RoutesParser.Warning w) {
        String hint = switch (w.reason()) {
            case "target bad format" -> "a target is host:port, [ipv6]:port, test, zhttp/SPEC or zhttpreq/SPEC, "
                    + "options after it with commas and no spaces (localhost:8080,over_http)";
            case "target invalid port" -> "the port is a number from 1 to 65535";
            case "must specify condition and at least one target" -> "a line is a condition then a target, "
                    + "separated by a space: * localhost:8080";
            default -> null;
        };
        if (RoutesParser.DUPLICATE.equals(w.reason())) {
            return w.toString();
        }
        return w + (hint == null ? "" : " (" + hint + ")") + "; line skipped";
    }
}
