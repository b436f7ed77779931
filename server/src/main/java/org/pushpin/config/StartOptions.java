package org.pushpin.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What the {@code pushpin} command line says; {@code null}/empty = not given. Parsed by {@code cli.PushpinCommandLine}
 * and merged over the file by {@link ConfigLoader}.
 *
 * @param port     {@code --port [addr:]port}: listen only there (replaces http/https/local ports)
 * @param id       {@code --id N}: port offset N×10 and IPC prefix {@code pN-}
 * @param routes   {@code --route LINE}, repeatable: replaces the routes file
 * @param logLevel {@code --loglevel} ({@code N} or {@code name:N,...}); {@code --verbose} = "3"
 */
public record StartOptions(
        Path config,
        Path logFile,
        String logLevel,
        boolean mergeOutput,
        String port,
        Integer id,
        List<String> routes) {

    public static StartOptions none() {
        return new StartOptions(null, null, null, false, null, null, List.of());
    }
}
