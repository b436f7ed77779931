package org.pushpin.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code [runner]} section (the parts a one-process server honours). Built by {@link ConfigLoader}.
 *
 * @param httpPorts        plain HTTP listeners ({@code http_port}, or {@code --port} alone)
 * @param httpsPorts       TLS listeners ({@code https_ports}); empty when {@code --port} is given
 * @param localPorts       unix socket paths ({@code local_ports}); empty when {@code --port} is given
 * @param certsDir         where TLS certificates are looked up: {@code <config dir>/runner/certs}
 * @param logLevel         0 error, 1 warning, 2 info, 3 debug ({@code --loglevel}/{@code --verbose} win over
 *                         {@code log_level})
 * @param logFile          {@code --logfile}, or null for standard output
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
        int logLevel,
        Path logFile,
        boolean mergeOutput) {
}
