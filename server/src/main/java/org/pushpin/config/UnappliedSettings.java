package org.pushpin.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a pushpin.conf that this server reads but does not apply, one warning line each, logged at
 * start-up: a user must never believe a feature is on when it is not. Only settings that are set to something
 * with an effect are named (a stock pushpin.conf names the stats socket). Keys of Pushpin's multi-process design
 * (zurl, condure specs) have no counterpart here by design and are not listed (docs/configuration.md says so).
 */
public final class UnappliedSettings {
    private UnappliedSettings() {
    }

    public static List<String> of(PushpinConfig c) {
        List<String> out = new ArrayList<>();
        HandlerConfig h = c.handler();
        if (h.statsSpec().startsWith("tcp://")) {
            // (an ipc:// spec is warned about where the socket would be opened)
            out.add("[handler] stats_spec=" + h.statsSpec() + ": report packets carry no byte or WebSocket "
                    + "message counters (client-*/server-* fields), and no blocks counts");
        }
        return out;
    }
}
