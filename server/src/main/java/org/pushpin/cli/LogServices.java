package org.pushpin.cli;

import java.util.List;
import java.util.Locale;

/**
 * Pushpin's services as our loggers: the names a {@code log_level}/{@code --loglevel} entry may use
 * ({@code pushpin-handler:3}), and the file each writes in {@code logdir}. Pushpin runs one process per service;
 * we are one process, so a service here is the set of loggers doing that service's job. A logger named below
 * covers its children too (a package covers its classes).
 */
enum LogServices {
    /** Start, stop, signals, configuration; its lines go where the runner's go (standard output or --logfile). */
    RUNNER(null, List.of("runner"), List.of("pushpin", "org.pushpin.cli", "org.pushpin.app", "org.pushpin.config")),
    /** Client connections and listeners: condure's job (Pushpin's older connection managers named too). */
    CONDURE("condure.log", List.of("condure", "mongrel2", "m2adapter"),
            List.of("org.pushpin.server", "org.pushpin.transport")),
    /** Routing and forwarding, the request log (origin connections too: zurl's job, which has no logger here). */
    PROXY("pushpin-proxy.log", List.of("pushpin-proxy", "proxy"),
            List.of("proxy", "org.pushpin.proxy", "org.pushpin.routing")),
    /** Publishing, holds, the stats socket, the control API and the cluster broker. */
    HANDLER("pushpin-handler.log", List.of("pushpin-handler", "handler"),
            List.of("handler", "cluster", "org.pushpin.hub", "org.pushpin.hold", "org.pushpin.ingest",
                    "org.pushpin.monitor", "org.pushpin.publish", "org.pushpin.broker"));

    /** The file in {@code logdir} (Pushpin's name for it), or null: the runner writes none. */
    final String file;
    /** The names a log level entry may give: Pushpin's first, then the short one our lines show. */
    final List<String> names;
    /** The loggers that make up the service. */
    final List<String> loggers;

    LogServices(String file, List<String> names, List<String> loggers) {
        this.file = file;
        this.names = names;
        this.loggers = loggers;
    }

    /** The service a log level entry names, or null for a name with no service here ({@code zurl}, a typo). */
    static LogServices named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (LogServices s : values()) {
            if (s.names.contains(n)) {
                return s;
            }
        }
        return null;
    }
}
