package org.pushpin.config;

import java.nio.file.Path;

/** Reads pushpin.conf (with include, substitution, port_offset) and merges the command line over it. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param options the command line; {@code options.config()} names the file, else the lookup of config.md §1
     *                (then built-in defaults)
     * @throws ConfigException naming file, line and key for a file that cannot be used
     */
    public static PushpinConfig load(StartOptions options) throws ConfigException {
        throw new UnsupportedOperationException("TODO");
    }
}
