package org.pushpin.bench.soak;

import java.util.EnumSet;
import java.util.Set;

/** The one-shot requests sent among the held clients, and the answers each may get (anything else is a fault). */
enum FaultKind {
    /** An ordinary proxied response. */
    PLAIN("plain", "/plain/", "bench", EnumSet.of(FaultOutcome.OK)),
    /** The origin answers bytes that are not HTTP. */
    GARBAGE("garbage", "/garbage/", "bench", EnumSet.of(FaultOutcome.BAD_GATEWAY)),
    /** The origin starts a response and resets the connection in its body. */
    RESET("reset", "/reset/", "bench", EnumSet.of(FaultOutcome.BAD_GATEWAY, FaultOutcome.CUT)),
    /** The origin never answers: the server's {@code origin_timeout} must end it. */
    STALL("stall", "/stall/", "bench", EnumSet.of(FaultOutcome.BAD_GATEWAY)),
    /** The route's target refuses connections. */
    REFUSED("refused", "/plain/", "refused.soak", EnumSet.of(FaultOutcome.BAD_GATEWAY));

    final String label;
    final String pathPrefix;
    final String host;
    private final Set<FaultOutcome> accepted;

    FaultKind(String label, String pathPrefix, String host, Set<FaultOutcome> accepted) {
        this.label = label;
        this.pathPrefix = pathPrefix;
        this.host = host;
        this.accepted = accepted;
    }

    boolean accepts(FaultOutcome outcome) {
        return accepted.contains(outcome);
    }
}
