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
    private Logging() {
    }

    static void configure(int pushpinLevel, Path logFile) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(switch (pushpinLevel) {
            case 0 -> Level.ERROR;
            case 1 -> Level.WARN;
            case 2 -> Level.INFO;
            default -> Level.DEBUG;
        });
        if (logFile != null) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("[%level] %d{yyyy-MM-dd HH:mm:ss.SSS} [%logger{0}] %msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
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
