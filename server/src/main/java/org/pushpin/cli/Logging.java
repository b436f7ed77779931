package org.pushpin.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.config.LogLevels;
import org.pushpin.config.RunnerConfig;
import org.slf4j.LoggerFactory;

/**
 * Where the lines go and at which level, as Pushpin's runner arranges it (docs/configuration.md#logging): the
 * runner's own lines to standard output or {@code --logfile}; each service's to its file in {@code logdir}, unless
 * {@code --merge-output} (or no {@code logdir}) keeps them with the runner's. Levels: 0 error, 1 warning, 2 info,
 * 3 debug, one default and one per service ({@link LogServices}), changeable while running.
 */
final class Logging {
    private static final String PATTERN = "[%level] %d{yyyy-MM-dd HH:mm:ss.SSS} [%logger{0}] %msg%n";

    /** Null when SLF4J is not bound to Logback (then nothing is configured). */
    private final LoggerContext context;
    /** Every file written: {@code --logfile} and the service files, reopened on SIGHUP. */
    private final List<FileAppender<ILoggingEvent>> files = new ArrayList<>();

    private Logging(LoggerContext context) {
        this.context = context;
    }

    /**
     * Sets the outputs and levels of {@code runner}.
     *
     * @param instanceId {@code --id}, or -1: with an id the service files are named {@code p<id>-<file>}, as
     *                   Pushpin names them, so that instances can share a {@code logdir}
     * @throws IOException when a log file or {@code logdir} cannot be created (Pushpin does not start then either)
     */
    static Logging configure(RunnerConfig runner, int instanceId) throws IOException {
        Logging logging = new Logging(
                LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null);
        if (logging.context == null) {
            return logging;
        }
        Logger root = logging.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (runner.logFile() != null) {
            Appender<ILoggingEvent> console = root.getAppender("OUT");
            root.addAppender(logging.file(runner.logFile()));
            root.detachAppender(console);
        }
        if (runner.logdir() != null && !runner.mergeOutput()) {
            try {
                Files.createDirectories(runner.logdir());
            } catch (IOException e) {
                throw new IOException("failed to create directory: " + runner.logdir() + " (" + e + ")", e);
            }
            String prefix = instanceId >= 0 ? "p" + instanceId + "-" : "";
            for (LogServices s : LogServices.values()) {
                if (s.file != null) {
                    FileAppender<ILoggingEvent> file = logging.file(runner.logdir().resolve(prefix + s.file));
                    for (String name : s.loggers) {
                        Logger l = logging.context.getLogger(name);
                        l.addAppender(file);
                        l.setAdditive(false); // not also to the runner's output
                    }
                }
            }
        }
        logging.levels(runner.logLevels());
        return logging;
    }

    private FileAppender<ILoggingEvent> file(Path path) throws IOException {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setName("file:" + path);
        file.setContext(context);
        file.setFile(path.toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        if (!file.isStarted()) {
            throw new IOException("failed to open log file: " + path);
        }
        files.add(file);
        return file;
    }

    /**
     * Applies {@code log_level} (at start and on SIGHUP): the default to everything, then each service's own to its
     * loggers; a service no longer named goes back to the default. Names with no service here are warned about.
     */
    void levels(Map<String, Integer> levels) {
        if (context == null) {
            return;
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(levelOf(LogLevels.defaultLevel(levels)));
        Level[] own = new Level[LogServices.values().length];
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue;
            }
            LogServices s = LogServices.named(e.getKey());
            if (s == null) {
                LoggerFactory.getLogger("pushpin").warn("log level for {}: no such service here (runner, condure, "
                        + "pushpin-proxy, pushpin-handler; origin connections are the proxy's); ignored", e.getKey());
            } else {
                own[s.ordinal()] = levelOf(e.getValue());
            }
        }
        for (LogServices s : LogServices.values()) {
            for (String name : s.loggers) {
                context.getLogger(name).setLevel(own[s.ordinal()]); // null: the default's
            }
        }
    }

    /**
     * Reopens every log file (SIGHUP, after logrotate moved them): later lines go to a file at the same path again,
     * created if it is gone. Without log files, nothing to do.
     */
    void reopen() {
        for (FileAppender<ILoggingEvent> f : files) {
            f.stop();
            f.start();
        }
    }

    private static Level levelOf(int pushpinLevel) {
        return switch (pushpinLevel) {
            case 0 -> Level.ERROR;
            case 1 -> Level.WARN;
            case 2 -> Level.INFO;
            default -> Level.DEBUG;
        };
    }
}
