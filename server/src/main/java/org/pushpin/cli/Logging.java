package org.pushpin.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Applies Pushpin's log level (0 error, 1 warning, 2 info, 3 debug) and {@code --logfile} to Logback. */
final class Logging {
    static final String FILE_APPENDER = "pushpin-logfile";

    private Logging() {
    }

    private static Level levelOf(int pushpinLevel) {
        return switch (pushpinLevel) {
            case 0 -> Level.ERROR;
            case 1 -> Level.WARN;
            case 2 -> Level.INFO;
            default -> Level.DEBUG;
        };
    }

    /** Changes the level while running (SIGHUP after {@code log_level} changed). */
    static void level(int pushpinLevel) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(levelOf(pushpinLevel));
        }
    }

    /**
     * Reopens {@code --logfile} (SIGHUP, after logrotate moved it): later lines go to a file at that path again,
     * created if it is gone. Without a log file, nothing to do.
     */
    static void reopen() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(FILE_APPENDER) instanceof FileAppender<ILoggingEvent> file) {
            file.stop();
            file.start();
        }
    }

    static void configure(int pushpinLevel, Path logFile) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(levelOf(pushpinLevel));
        if (logFile != null) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("[%level] %d{yyyy-MM-dd HH:mm:ss.SSS} [%logger{0}] %msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setName(FILE_APPENDER);
            file.setContext(context);
            file.setFile(logFile.toString());
            file.setAppend(true);
            file.setEncoder(encoder);
            file.start();
            OutputStreamAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("OUT");
            root.detachAppender(console);
            root.addAppender(file);
        }
    }
}
