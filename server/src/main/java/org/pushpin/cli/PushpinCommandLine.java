package org.pushpin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.pushpin.config.ListenSpec;
import org.pushpin.config.LogLevels;
import org.pushpin.config.StartOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code pushpin} command line (docs/configuration.md#command-line), parsed the way Pushpin's QCommandLineParser
 * setup parses it: {@code --opt value} and {@code --opt=value}, single-dash long options ({@code -config file}), the
 * last of a repeated option wins, stray positional arguments are ignored, {@code -h/--help} and {@code -v/--version}.
 * Values are checked here (port, id, log level) so that a bad one fails before anything starts, with exit code 1, an
 * {@code error:} line and the usage, as Pushpin does.
 *
 * <p>Use: {@code Parsed p = PushpinCommandLine.parse(args, out, err); if (!p.shouldStart()) System.exit(p.exitCode());}
 */
public final class PushpinCommandLine {
    /**
     * The version we claim. {@code --version} prints {@code pushpin 1.36.0} first, exactly what Pushpin 1.36 prints,
     * because scripts and tools that check the version must keep working with us in its place; our own version
     * follows on a second line ({@link Versions}).
     */
    public static final String VERSION = Versions.PUSHPIN;

    /** Pushpin's option names, accepted with one dash too (Qt's ParseAsLongOptions). */
    private static final Pattern SINGLE_DASH_LONG =
            Pattern.compile("-(config|logfile|loglevel|verbose|merge-output|port|id|route|help|version)(=.*)?",
                    Pattern.DOTALL);

    private PushpinCommandLine() {
    }

    /**
     * The outcome of parsing: either options to start with, or an exit code (0 after help or version, 1 after an
     * error; the text has already been written).
     */
    public record Parsed(StartOptions options, int exitCode) {
        public boolean shouldStart() {
            return options != null;
        }
    }

    /**
     * @param out where help and version go
     * @param err where errors go (with the usage)
     */
    public static Parsed parse(String[] args, PrintWriter out, PrintWriter err) {
        Args parsed = new Args();
        CommandLine cmd = new CommandLine(parsed)
                .setOverwrittenOptionsAllowed(true)
                .setExpandAtFiles(false)
                .setOut(out)
                .setErr(err);
        try {
            cmd.parseArgs(normalize(args));
            if (cmd.isVersionHelpRequested()) {
                out.println(Versions.text("pushpin"));
                out.flush();
                return new Parsed(null, 0);
            }
            if (cmd.isUsageHelpRequested()) {
                cmd.usage(out);
                out.flush();
                return new Parsed(null, 0);
            }
            return new Parsed(parsed.toOptions(), 0);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            cmd.usage(err);
            err.flush();
            return new Parsed(null, 1);
        }
    }

    private static String[] normalize(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        boolean optionsEnded = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                optionsEnded = true;
            }
            out.add(!optionsEnded && SINGLE_DASH_LONG.matcher(arg).matches() ? "-" + arg : arg);
        }
        return out.toArray(String[]::new);
    }

    @Command(name = "pushpin", description = "Reverse proxy for realtime web services.", sortOptions = false,
            usageHelpAutoWidth = false)
    private static final class Args {
        @Option(names = "--config", paramLabel = "<file>", description = "Config file.")
        String config;

        @Option(names = "--logfile", paramLabel = "<file>", description = "File to log to.")
        String logFile;

        @Option(names = "--loglevel", paramLabel = "<x>", description = "Log level (default: 2).")
        String logLevel;

        @Option(names = "--verbose", description = "Verbose output. Same as --loglevel=3.")
        boolean verbose;

        @Option(names = {"-m", "--merge-output"}, description = "Combine output of subprocesses.")
        boolean mergeOutput;

        @Option(names = "--port", paramLabel = "<[addr:]port>", description = "Run a single HTTP server instance.")
        String port;

        @Option(names = "--id", paramLabel = "<x>",
                description = "Set instance ID (needed to run multiple instances).")
        String id;

        @Option(names = "--route", paramLabel = "<line>", description = "Add route (overrides routes file).")
        List<String> routes = new ArrayList<>();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Displays help on commandline options.")
        boolean help;

        @Option(names = {"-v", "--version"}, versionHelp = true, description = "Displays version information.")
        boolean version;

        /** Qt's parser leaves positional arguments to the program, and Pushpin never looks at them. */
        @Parameters(hidden = true)
        List<String> ignored = new ArrayList<>();

        StartOptions toOptions() {
            String level = logLevel;
            if (level != null) {
                check("--loglevel", () -> LogLevels.parse(logLevel));
            }
            if (verbose) {
                level = "3";
            }
            if (port != null) {
                check("--port", () -> ListenSpec.parse(port));
            }
            return new StartOptions(
                    emptyToNull(config),
                    emptyToNull(logFile),
                    level,
                    mergeOutput,
                    port,
                    parseId(),
                    List.copyOf(routes));
        }

        private static void check(String option, Runnable validation) {
            try {
                validation.run();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }

        private Integer parseId() {
            if (id == null) {
                return null;
            }
            try {
                int x = Integer.parseInt(id.strip());
                if (x >= 0) {
                    return x;
                }
            } catch (NumberFormatException e) {
                // Pushpin's message below
            }
            throw new IllegalArgumentException("--id: id must be greater than or equal to 0, got \"" + id + "\"");
        }

        private static Path emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : Path.of(s);
        }
    }
}
