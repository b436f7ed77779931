package org.pushpin.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.pushpin.config.ConfigException;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.PushpinConfig;
import org.pushpin.app.PushpinServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code pushpin}: Pushpin's command line, one process. Exit codes: 0 stopped, 1 bad arguments or config. */
public final class PushpinMain {
    private PushpinMain() {
    }

    /**
     * SIGHUP: the config file is read again; the log level takes effect at once, every other changed setting is
     * named as waiting for a restart (one line each).
     */
    private static void rereadConfig(PushpinCommandLine.Parsed parsed, PushpinConfig started, Logger log) {
        PushpinConfig now;
        try {
            now = ConfigLoader.load(parsed.options());
        } catch (ConfigException e) {
            log.warn("SIGHUP: {} not re-read: {}", started.configFile(), e.getMessage());
            return;
        }
        for (ConfigChanges.Change c : ConfigChanges.between(started, now)) {
            if (c.setting().equals("runner.logLevel")) {
                Logging.level((Integer) c.inFile());
                log.info("SIGHUP: log level {} (was {})", c.inFile(), c.running());
            } else {
                log.warn("SIGHUP: {} changed ({} -> {}): takes effect at the next restart", c.setting(),
                        c.running(), c.inFile());
            }
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        PushpinCommandLine.Parsed parsed = PushpinCommandLine.parse(args, out, err);
        if (!parsed.shouldStart()) {
            System.exit(parsed.exitCode());
            return;
        }
        PushpinConfig config;
        try {
            config = ConfigLoader.load(parsed.options());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Logging.configure(config.runner().logLevel(), config.runner().logFile());
        Logger log = LoggerFactory.getLogger("pushpin");
        if (config.configFile() == null) {
            log.info("no config file found, using built-in defaults");
        }
        PushpinServer server;
        try {
            server = PushpinServer.start(config);
        } catch (Exception e) {
            log.error("failed to start: {}", e.toString());
            System.exit(1);
            return;
        }
        PushpinConfig started = config;
        Signals.onHangup(() -> {
            Logging.reopen();
            log.info("reloading routes and reopening the log file (SIGHUP)");
            server.reloadRoutes();
            rereadConfig(parsed, started, log);
        });
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM drains: held clients are told to reconnect and get shutdown_grace to leave; a second SIGTERM stops
        // at once. Other ways to stop (SIGINT, System.exit) close at once through the hook.
        java.time.Duration grace = java.time.Duration.ofSeconds(config.timeouts().shutdownGraceSeconds());
        Signals.onTerminate(() -> {
            log.info("stopping (SIGTERM): telling held clients to reconnect, {} s for them to leave",
                    grace.toSeconds());
            try {
                long left = server.drain(grace);
                log.info("stopped{}", left > 0 ? " (" + left + " connections cut at the end of the grace)" : "");
            } catch (RuntimeException | Error e) {
                log.error("stopping failed: {}", e.toString());
            } finally {
                System.exit(0); // whatever happened, SIGTERM ends the process
            }
        }, () -> {
            log.info("second SIGTERM: stopping at once");
            Runtime.getRuntime().halt(143);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "pushpin-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
