package org.pushpin.cli;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pushpin.config.PushpinConfig;

/**
 * What changed in {@code pushpin.conf} between start and a SIGHUP: each setting by its section and record field, so
 * the operator is told which changes took effect (the log level, the routes) and which wait for a restart — never
 * left believing an edit is live when it is not.
 */
final class ConfigChanges {
    /** One changed setting: where, the value running, the value in the file now. */
    record Change(String setting, Object running, Object inFile) {
    }

    private ConfigChanges() {
    }

    /** The settings that differ, section by section (routes are compared by the route source, not here). */
    static List<Change> between(PushpinConfig running, PushpinConfig inFile) {
        List<Change> out = new ArrayList<>();
        compare("runner", running.runner(), inFile.runner(), out);
        compare("proxy", running.proxy(), inFile.proxy(), out);
        compare("handler", running.handler(), inFile.handler(), out);
        compare("cluster", running.cluster(), inFile.cluster(), out);
        compare("timeouts", running.timeouts(), inFile.timeouts(), out);
        if (running.statsConnectionTtl() != inFile.statsConnectionTtl()) {
            out.add(new Change("global.statsConnectionTtl", running.statsConnectionTtl(),
                    inFile.statsConnectionTtl()));
        }
        return out;
    }

    private static void compare(String section, Record running, Record inFile, List<Change> out) {
        for (RecordComponent c : running.getClass().getRecordComponents()) {
            try {
                Object a = c.getAccessor().invoke(running);
                Object b = c.getAccessor().invoke(inFile);
                if (!Objects.equals(a, b)) {
                    out.add(new Change(section + "." + c.getName(), a, b));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e); // public accessors of a public record
            }
        }
    }
}
