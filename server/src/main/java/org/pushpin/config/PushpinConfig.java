package org.pushpin.config;

import java.nio.file.Path;

/**
 * Everything read from {@code pushpin.conf} and the command line, with Pushpin's defaults applied.
 *
 * @param configFile the file read, or null when the built-in defaults were used
 * @param configDir  the directory relative paths are resolved against (the working directory without a file)
 * @param instanceId {@code --id}, or -1
 * @param portOffset added to every {@code tcp://} port and to {@code push_in_http_port} (already applied to those
 *                   values): {@code port_offset}, or 10 × {@code --id} when the id is above 0 (as in Pushpin, the
 *                   id's offset replaces the file's)
 * @param cluster    {@code [cluster]}: the broker instances share channels through
 * @param timeouts   client and origin timeouts
 */
public record PushpinConfig(
        Path configFile,
        Path configDir,
        int instanceId,
        int portOffset,
        int statsConnectionTtl,
        RunnerConfig runner,
        ProxyConfig proxy,
        HandlerConfig handler,
        ClusterConfig cluster,
        TimeoutsConfig timeouts) {
}
