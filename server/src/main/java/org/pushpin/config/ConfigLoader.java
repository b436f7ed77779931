package org.pushpin.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pushpin.conf (with include, substitution, port_offset) and merges the command line over it, the way
 * Pushpin 1.36's runner, proxy and handler each read it (docs/configuration.md).
 *
 * <p>Choices where Pushpin is unclear or inconsistent:
 * <ul>
 *   <li>No config file found: Pushpin refuses to start; we use the built-in defaults (the values of Pushpin's
 *       shipped file, {@code builtin-pushpin.conf}) with the
 *       working directory as config directory.</li>
 *   <li>{@code rundir} missing or relative: resolved against the working directory, as Pushpin's runner does
 *       ({@code QDir(rundir).absolutePath()}); {@code {rundir}} is replaced by that same absolute path (Pushpin's
 *       proxy and handler would substitute the raw value, an empty string when missing).</li>
 *   <li>{@code --id N}: the IPC prefix becomes {@code pN-}; for N &gt; 0 the port offset becomes N×10 and replaces
 *       {@code port_offset} (the runner passes {@code --port-offset=N×10} to the handler only when it is above 0,
 *       and the handler then sets it in place of the file's value).</li>
 * </ul>
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    /** Pushpin's compiled LIBDIR (Debian): where {@code {libdir}/internal.conf} lives. */
    static final String LIBDIR = "/usr/lib/pushpin";
    /** Pushpin's compiled CONFIGDIR file, the last place looked at without {@code --config}. */
    static final Path SYSTEM_CONFIG = Path.of("/etc/pushpin/pushpin.conf");

    private ConfigLoader() {
    }

    /**
     * @param options the command line; {@code options.config()} names the file, else the lookup of
     *                docs/configuration.md#finding-the-config-file (then built-in defaults)
     * @throws ConfigException naming file, line and key for a file that cannot be used
     */
    public static PushpinConfig load(StartOptions options) throws ConfigException {
        return load(options, Path.of("").toAbsolutePath());
    }

    /**
     * Like {@link #load(StartOptions)} with {@code workingDir} standing for the process's working directory: the
     * lookup ({@code ./config/pushpin.conf}, {@code ./pushpin.conf}, {@code ./examples/config/pushpin.conf},
     * {@code /etc/pushpin/pushpin.conf}) and every relative path on the command line start there.
     */
    public static PushpinConfig load(StartOptions options, Path workingDir) throws ConfigException {
        return load(options, workingDir, defaultCandidates(workingDir));
    }

    static List<Path> defaultCandidates(Path workingDir) {
        return List.of(
                workingDir.resolve("config").resolve("pushpin.conf"),
                workingDir.resolve("pushpin.conf"),
                workingDir.resolve("examples").resolve("config").resolve("pushpin.conf"),
                SYSTEM_CONFIG);
    }

    /** The built-in defaults (the values of Pushpin's shipped file), used as the include when no file is found. */
    private static IniFile builtIn() throws ConfigException {
        try (var in = ConfigLoader.class.getResourceAsStream("/builtin-pushpin.conf")) {
            if (in == null) {
                return null;
            }
            return IniFile.parse(Path.of("<built-in defaults>"),
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot read the built-in defaults: " + e.getMessage(), e);
        }
    }

    /** The lookup list is a parameter so that tests can leave out {@code /etc/pushpin/pushpin.conf}. */
    static PushpinConfig load(StartOptions options, Path workingDir, List<Path> candidates) throws ConfigException {
        Path wd = workingDir.toAbsolutePath().normalize();
        Path configFile = findConfig(options, wd, candidates);
        try {
            return load(options, wd, configFile);
        } catch (java.nio.file.InvalidPathException e) {
            // a path setting (include, rundir, logdir, routesfile, local_ports...) no file system can hold: found by
            // ConfigFuzzTest as a stack trace at start-up
            throw new ConfigException((configFile == null ? "the configuration" : configFile.toString())
                    + ": invalid path \"" + e.getInput().replace("\0", "\\0") + "\": " + e.getReason(), e);
        }
    }

    private static PushpinConfig load(StartOptions options, Path wd, Path configFile) throws ConfigException {
        return load(options, wd, configFile, configFile == null ? null : IniFile.read(configFile), new LinkedHashMap<>());
    }

    /**
     * Reads every key from an empty file, noting each key read and its default in {@code reads}
     * ({@link ConfigKeys}: the configuration reference is made from this).
     */
    static void readAllKeys(Map<String, ConfigKeys.Key> reads) throws ConfigException {
        Path none = Path.of("pushpin.conf").toAbsolutePath();
        load(StartOptions.none(), Path.of("."), none, IniFile.parse(none, ""), reads);
    }

    private static PushpinConfig load(StartOptions options, Path wd, Path configFile, IniFile main,
            Map<String, ConfigKeys.Key> reads) throws ConfigException {
        Path configDir = configFile == null ? wd : configFile.getParent();

        // As Pushpin's Settings constructor: libdir, rundir and the include come from the main file alone.
        String libdir = rawString(main, null, "global", "libdir");
        if (libdir.isEmpty()) {
            libdir = LIBDIR;
        }
        String rundirRaw = rawString(main, null, "global", "rundir");
        if (rundirRaw.isEmpty()) {
            rundirRaw = rawString(main, null, "runner", "rundir");
        }
        IniFile include = main == null ? builtIn() : readInclude(main, configDir, libdir, rundirRaw);

        // The runner prefers [global] rundir whenever the key exists, even in the include.
        Settings raw = new Settings(main, include, libdir, rundirRaw, "", 0);
        String rundirValue = raw.contains("global", "rundir")
                ? raw.string("global", "rundir", "")
                : raw.string("runner", "rundir", "");
        Path rundir = wd.resolve(rundirValue).normalize();

        Integer id = options.id();
        if (id != null && id < 0) {
            throw new ConfigException("--id: id must be greater than or equal to 0, got " + id);
        }
        String ipcPrefix = id != null ? "p" + id + "-" : raw.string("global", "ipc_prefix", "pushpin-");
        int portOffset = id != null && id > 0 ? id * 10 : raw.integer("global", "port_offset", 0);

        Settings settings = new Settings(main, include, libdir, rundir.toString(), ipcPrefix, portOffset);
        PushpinConfig config = new PushpinConfig(
                configFile,
                configDir,
                id == null ? -1 : id,
                portOffset,
                settings.integer("global", "stats_connection_ttl", 120),
                Sections.runner(settings, options, configDir, wd, rundir),
                Sections.proxy(settings, options, configDir),
                Sections.handler(settings),
                Sections.cluster(settings),
                Sections.timeouts(settings));
        raw.reads().forEach((k, v) -> reads.merge(k, v, ConfigKeys::typedFirst));
        settings.reads().forEach((k, v) -> reads.merge(k, v, ConfigKeys::typedFirst));
        for (String warning : UnusedKeys.of(main, reads.keySet())) {
            log.warn("{}", warning);
        }
        return config;
    }

    private static Path findConfig(StartOptions options, Path wd, List<Path> candidates) throws ConfigException {
        if (options.config() != null && !options.config().toString().isEmpty()) {
            Path file = wd.resolve(options.config()).normalize();
            if (Files.isDirectory(file)) {
                throw new ConfigException(file + ": config file is a directory");
            }
            if (!Files.exists(file)) {
                throw new ConfigException(file + ": config file not found");
            }
            return file;
        }
        for (Path candidate : candidates) {
            Path file = wd.resolve(candidate).normalize();
            if (Files.isRegularFile(file)) {
                log.info("using config: {}", file);
                return file;
            }
        }
        log.info("no config file found (tried {}); using built-in defaults", candidates);
        return null;
    }

    /**
     * {@code [global] include}: the literal {@code internal.conf} means {@code {libdir}/internal.conf}; relative
     * paths are relative to the config file; a file that is not there is skipped, as QSettings reads it as empty.
     */
    private static IniFile readInclude(IniFile main, Path configDir, String libdir, String rundir)
            throws ConfigException {
        String name = rawString(main, null, "global", "include");
        if (name.equals("internal.conf")) {
            name = "{libdir}/internal.conf";
        }
        name = name.replace("{libdir}", libdir).replace("{rundir}", rundir);
        if (name.isEmpty()) {
            return null;
        }
        Path file = configDir.resolve(name).normalize();
        if (!Files.isRegularFile(file)) {
            log.debug("include {} not found; skipped", file);
            return null;
        }
        return IniFile.read(file);
    }

    /** An unsubstituted string from the given files ("" when missing), for the values substitution needs. */
    private static String rawString(IniFile main, IniFile include, String section, String key) {
        return new Settings(main, include, "{libdir}", "{rundir}", "{ipc_prefix}", 0).string(section, key, "");
    }
}
