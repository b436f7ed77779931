package org.pushpin.cli;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.pushpin.config.PushpinConfig;

/**
 * What differs between two configurations (the one running and the one in force after a SIGHUP, or that one and the
 * file): each setting by its section and record field, so the operator is told which changes took effect and which
 * wait for a restart — never left believing an edit is live when it is not.
 */
final class ConfigChanges {
    /** Settings whose key in the file is not their field's name in snake case. */
    private static final Map<String, String> KEYS = Map.of(
            "runner.httpPorts", "[runner] http_port",
            "runner.logLevels", "[runner] log_level",
            "proxy.routesFile", "[proxy] routesfile",
            "handler.prometheus", "[handler] prometheus_port",
            "handler.history", "[handler] history_size/history_ttl",
            "timeouts.clientRequestSeconds", "[runner] client_request_timeout",
            "timeouts.originSeconds", "[proxy] origin_timeout",
            "timeouts.shutdownGraceSeconds", "[runner] shutdown_grace",
            "timeouts.clientMaxHeaders", "[runner] client_max_headers");

    /** One changed setting: where ({@code section.field}), the value before, the value after. */
    record Change(String setting, Object running, Object inFile) {
        /** The setting as written in pushpin.conf: {@code [handler] message_hwm}. */
        String key() {
            String known = KEYS.get(setting);
            if (known != null) {
                return known;
            }
            int dot = setting.indexOf('.');
            String field = setting.substring(dot + 1);
            return "[" + setting.substring(0, dot) + "] " + field.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
        }

        /** {@code [handler] message_hwm changed (-1 -> 100)} */
        String describe() {
            return key() + " changed (" + show(running) + " -> " + show(inFile) + ")";
        }

        /** Log levels as written ({@code 2,pushpin-proxy:3}), anything else as it prints. */
        private static String show(Object value) {
            if (value instanceof Map<?, ?> levels) {
                StringBuilder out = new StringBuilder();
                levels.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",")
                        .append(k.toString().isEmpty() ? "" : k + ":").append(v));
                return out.length() == 0 ? "default" : out.toString();
            }
            return String.valueOf(value);
        }
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
