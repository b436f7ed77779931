package org.pushpin.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [runner]} section (the parts a one-process server honours). Built by {@link ConfigLoader}.
 *
 * @param httpPorts        plain HTTP listeners ({@code http_port}, or {@code --port} alone)
 * @param httpsPorts       TLS listeners ({@code https_ports}); empty when {@code --port} is given
 * @param localPorts       unix socket paths ({@code local_ports}); empty when {@code --port} is given
 * @param certsDir         where TLS certificates are looked up: {@code <config dir>/runner/certs}
 * @param logdir           {@code logdir}: where the per-service log files go (docs/configuration.md#logging), or
 *                         null when missing or empty
 * @param logLevels        {@code log_level} as {@link LogLevels#parse} gives it: the default level under {@code ""},
 *                         a service's own under its name ({@code --loglevel}/{@code --verbose} replace the whole list)
 * @param logFile          {@code --logfile}, or null for standard output
 * @param allowCompression {@code allow_compression} (Pushpin 1.37): permessage-deflate with WebSocket clients
 * @param http2MaxConcurrentStreams {@code http2_max_concurrent_streams} (ours): HTTP/2 on {@code http_port} (prior
 *                         knowledge) and {@code https_ports} (ALPN h2) with at most this many streams open at once
 *                         per connection; 0 turns HTTP/2 off (docs/http2.md)
 */
public record RunnerConfig(
        List<ListenSpec> httpPorts,
        List<ListenSpec> httpsPorts,
        List<Path> localPorts,
        Path certsDir,
        int clientBufferSize,
        int clientMaxconn,
        Path rundir,
        Path logdir,
        Map<String, Integer> logLevels,
        Path logFile,
        boolean mergeOutput,
        boolean allowCompression,
        int http2MaxConcurrentStreams) {

    public RunnerConfig {
        // in the given order: of two names for one service, the later wins
        logLevels = Collections.unmodifiableMap(new LinkedHashMap<>(logLevels));
    }

    /** The level of everything without a level of its own: 0 error, 1 warning, 2 info, 3 debug. */
    public int logLevel() {
        return LogLevels.defaultLevel(logLevels);
    }
}
