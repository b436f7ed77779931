package org.pushpin.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code [runner]}, {@code [proxy]} and {@code [handler]} records from {@link Settings}, with Pushpin's code
 * defaults for missing keys (docs/configuration.md#runner-keys, #proxy-keys, #handler-keys). Keys of Pushpin's
 * multi-process design (docs/configuration.md#keys-accepted-and-ignored) and unknown keys are never read, so they are
 * accepted and ignored as Pushpin ignores what it does not read.
 *
 * <p>Where the shipped pushpin.conf and Pushpin's code differ, the code wins: a missing {@code push_in_spec},
 * {@code push_in_sub_specs}, {@code stats_spec} or {@code command_spec} is empty (that socket is not opened), a
 * missing {@code push_in_http_port} is -1 (no HTTP publish server), {@code message_rate}/{@code message_hwm} are
 * unlimited (-1), {@code id_cache_ttl} is 0, {@code set_x_forwarded_protocol} is off and {@code sig_key} empty.
 * Pushpin would refuse to start without any listener key; we then listen on 7999, the shipped value.
 */
final class Sections {
    private Sections() {
    }

    static RunnerConfig runner(Settings s, StartOptions o, Path configDir, Path wd, Path rundir)
            throws ConfigException {
        List<ListenSpec> http;
        List<ListenSpec> https;
        List<Path> local;
        if (o.port() != null) {
            try {
                http = List.of(ListenSpec.parse(o.port()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--port: " + e.getMessage());
            }
            https = List.of();
            local = List.of();
        } else {
            // 7999 only when no listener key is there at all: Pushpin has no default, and a file with only
            // https_ports must not open a plain port.
            boolean noListenerKeys = !s.contains("runner", "https_ports") && !s.contains("runner", "local_ports");
            http = listens(s, "http_port", noListenerKeys ? List.of("7999") : List.of());
            https = listens(s, "https_ports", List.of());
            local = s.list("runner", "local_ports", List.of()).stream().map(p -> wd.resolve(p).normalize()).toList();
            if (http.isEmpty() && https.isEmpty() && local.isEmpty()) {
                IniFile.Entry e = s.entry("runner", "http_port");
                throw new ConfigException((e == null ? "[runner] http_port" : e.where())
                        + ": no server ports configured (http_port, https_ports and local_ports are all empty)");
            }
        }
        return new RunnerConfig(
                http,
                https,
                local,
                configDir.resolve("runner").resolve("certs"),
                s.integerAtLeast("runner", "client_buffer_size", 8192, 1),
                s.integerAtLeast("runner", "client_maxconn", 50000, 1),
                rundir,
                logdir(s, wd),
                logLevels(s, o),
                o.logFile() == null ? null : wd.resolve(o.logFile()).normalize(),
                o.mergeOutput(),
                s.bool("runner", "allow_compression", false),
                http2Streams(s));
    }

    static ProxyConfig proxy(Settings s, StartOptions o, Path configDir) throws ConfigException {
        String routesFile = s.string("proxy", "routesfile", "routes");
        if (routesFile.isBlank()) {
            // Pushpin would resolve "" to the config directory itself and fail to read it.
            routesFile = "routes";
        }
        return new ProxyConfig(
                configDir.resolve(routesFile).normalize(),
                o.routes() == null ? List.of() : List.copyOf(o.routes()),
                s.bool("proxy", "debug", false),
                s.bool("proxy", "auto_cross_origin", false),
                s.bool("proxy", "accept_x_forwarded_protocol", false),
                ForwardedProtoMode.parse(s.string("proxy", "set_x_forwarded_protocol", "")),
                xff(s, "x_forwarded_for"),
                xff(s, "x_forwarded_for_trusted"),
                s.list("proxy", "orig_headers_need_mark", List.of()),
                s.bool("proxy", "accept_pushpin_route", false),
                s.bool("proxy", "log_from", false),
                s.bool("proxy", "log_user_agent", false),
                s.string("proxy", "sig_iss", "pushpin"),
                s.string("proxy", "sig_key", ""),
                s.string("proxy", "upstream_key", ""),
                s.limit("proxy", "max_open_requests"),
                s.string("proxy", "sockjs_url", ProxyConfig.DEFAULT_SOCKJS_URL),
                s.string("proxy", "cdn_loop", "").strip());
    }

    static TimeoutsConfig timeouts(Settings s) throws ConfigException {
        return new TimeoutsConfig(
                s.integerAtLeast("runner", "client_request_timeout", TimeoutsConfig.DEFAULTS.clientRequestSeconds(), 0),
                s.integerAtLeast("proxy", "origin_timeout", TimeoutsConfig.DEFAULTS.originSeconds(), 0),
                s.integerAtLeast("runner", "shutdown_grace", TimeoutsConfig.DEFAULTS.shutdownGraceSeconds(), 0),
                s.integerAtLeast("runner", "client_max_headers", TimeoutsConfig.DEFAULTS.clientMaxHeaders(), 1),
                heapPressurePercent(s));
    }

    /** 0 (off), or a mark high enough that the one {@link TimeoutsConfig#HEAP_PRESSURE_HYSTERESIS} lower exists. */
    private static int heapPressurePercent(Settings s) throws ConfigException {
        int v = s.integer("runner", "heap_pressure_percent", TimeoutsConfig.DEFAULTS.heapPressurePercent());
        if (v != 0 && (v <= TimeoutsConfig.HEAP_PRESSURE_HYSTERESIS || v > 100)) {
            throw new ConfigException(s.entry("runner", "heap_pressure_percent").where() + ": must be 0 (off) or "
                    + (TimeoutsConfig.HEAP_PRESSURE_HYSTERESIS + 1) + " to 100, got " + v);
        }
        return v;
    }

    /** {@code file:line: [section] key} of a set key, for an error message (the key alone when not in a file). */
    private static String where(Settings s, String section, String key) {
        IniFile.Entry e = s.entry(section, key);
        return e == null ? "[" + section + "] " + key : e.where();
    }

    static ClusterConfig cluster(Settings s) throws ConfigException {
        String broker = s.string("cluster", "broker", "none").trim();
        if (broker.isEmpty()) {
            broker = "none";
        }
        if (!broker.equals("none") && !broker.equals("redis")) {
            throw new ConfigException(where(s, "cluster", "broker") + ": \"" + broker
                    + "\" is unknown (none or redis)");
        }
        String url = s.string("cluster", "redis_url", ClusterConfig.NONE.redisUrl()).trim();
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new ConfigException(where(s, "cluster", "redis_url") + ": \"" + url
                    + "\" is not a redis:// or rediss:// URL");
        }
        return new ClusterConfig(broker, url, s.string("cluster", "redis_prefix", ClusterConfig.NONE.redisPrefix()),
                s.bool("cluster", "redis_sharded", false));
    }

    static HandlerConfig handler(Settings s) throws ConfigException {
        List<String> subSpecs = new ArrayList<>(s.list("handler", "push_in_sub_specs", List.of()));
        String subSpec = s.string("handler", "push_in_sub_spec", "");
        if (!subSpec.isEmpty()) {
            subSpecs.add(subSpec);
        }
        String httpAddr = s.string("handler", "push_in_http_addr", "");
        String statsFormat = s.string("handler", "stats_format", "");
        return new HandlerConfig(
                s.string("handler", "push_in_spec", ""),
                List.copyOf(subSpecs),
                s.bool("handler", "push_in_sub_connect", false),
                // Pushpin binds a null address when this is missing; loopback is the shipped value and safe.
                httpAddr.isBlank() ? "127.0.0.1" : httpAddr,
                s.adjustedPort("handler", "push_in_http_port", -1),
                // 1.36 reads these two under other names (push_in_max_*_size) while its shipped file names them
                // push_in_http_max_*_size, read from 1.41 on: both work here, the 1.41 name first.
                controlLimit(s, "headers", 10000),
                controlLimit(s, "body", 1000000),
                s.string("handler", "stats_spec", ""),
                s.string("handler", "command_spec", ""),
                s.integer("handler", "message_rate", -1),
                s.integer("handler", "message_hwm", -1),
                s.integer("handler", "message_block_size", -1),
                s.integer("handler", "message_wait", 5000),
                s.integer("handler", "id_cache_ttl", 0),
                s.integer("handler", "connection_subscription_max", 20),
                s.integer("handler", "subscription_linger", 60),
                s.integer("handler", "stats_subscription_ttl", 60),
                s.integer("handler", "stats_report_interval", 10),
                statsFormat.isBlank() ? "tnetstring" : statsFormat,
                prometheus(s, "handler", "prometheus_port"),
                s.string("handler", "prometheus_prefix", ""),
                s.bool("handler", "share_all", false),
                // Pushpin 1.41: false skips the update of held sessions after a channel's first subscription.
                s.bool("handler", "update_on_first_subscription", true),
                // Ours: Pushpin enables http-check/http-modify by building 2.0; off keeps 1.36's "unknown name".
                s.bool("handler", "http_filters", false),
                // Ours: a channel name ending in * subscribes to its prefix; off keeps 1.36's literal names.
                s.bool("handler", "wildcard_channels", false),
                history(s));
    }

    /** {@code history_size} and {@code history_ttl}: a malformed value is warned of and the default taken. */
    static HistoryConfig history(Settings s) {
        int size = s.integerOrWarn("handler", "history_size", HistoryConfig.OFF.size(), 0);
        int ttl = s.integerOrWarn("handler", "history_ttl", HistoryConfig.OFF.ttlSeconds(), 1);
        return new HistoryConfig(size, ttl);
    }

    /**
     * Ours: HTTP/2 from clients is off unless {@code http2} is set (1.36 speaks HTTP/1.x only, and a browser would
     * otherwise switch to h2 by ALPN); then at most {@code http2_max_concurrent_streams} streams (0 also turns it off).
     */
    private static int http2Streams(Settings s) throws ConfigException {
        int streams = s.integerAtLeast("runner", "http2_max_concurrent_streams", 100, 0);
        return s.bool("runner", "http2", false) ? streams : 0;
    }

    private static int controlLimit(Settings s, String what, int def) throws ConfigException {
        String key = "push_in_http_max_" + what + "_size";
        return s.integerAtLeast("handler", s.contains("handler", key) ? key : "push_in_max_" + what + "_size", def, 1);
    }

    private static List<ListenSpec> listens(Settings s, String key, List<String> def) throws ConfigException {
        List<ListenSpec> out = new ArrayList<>();
        for (String item : s.list("runner", key, def)) {
            try {
                out.add(ListenSpec.parse(item));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.entry("runner", key).where() + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code logdir}, resolved against the working directory; null when missing or empty (Pushpin would then write
     * its service logs into the working directory; we log to standard output instead).
     */
    private static Path logdir(Settings s, Path wd) {
        String value = s.string("runner", "logdir", "").strip();
        return value.isEmpty() ? null : wd.resolve(value).normalize();
    }

    /** {@code --loglevel} (already "3" for {@code --verbose}) replaces {@code log_level} entirely, as in Pushpin. */
    private static Map<String, Integer> logLevels(Settings s, StartOptions o) throws ConfigException {
        if (o.logLevel() != null) {
            try {
                return LogLevels.parse(o.logLevel());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--loglevel: " + e.getMessage());
            }
        }
        IniFile.Entry e = s.entry("runner", "log_level");
        if (e == null || (!e.isList() && e.items().get(0).isBlank())) {
            return Map.of();
        }
        try {
            return LogLevels.parse(e.items().stream().map(s::resolve).toList());
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(e.where() + ": " + ex.getMessage());
        }
    }

    private static XffPolicy xff(Settings s, String key) throws ConfigException {
        try {
            return XffPolicy.parse(s.list("proxy", key, List.of()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.entry("proxy", key).where() + ": " + e.getMessage());
        }
    }

    /** {@code prometheus_port}: empty (off), {@code PORT}, {@code ADDR:PORT} or {@code ipc://PATH}; no port offset. */
    private static PrometheusListen prometheus(Settings s, String section, String key) throws ConfigException {
        String value = s.string(section, key, "");
        if (value.isBlank()) {
            return null;
        }
        try {
            return PrometheusListen.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.entry(section, key).where() + ": " + e.getMessage());
        }
    }
}
