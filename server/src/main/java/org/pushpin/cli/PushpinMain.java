package org.pushpin.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.pushpin.config.ConfigException;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.PushpinConfig;
import org.pushpin.app.LiveSettings;
import org.pushpin.app.PushpinServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code pushpin}: Pushpin's command line, one process. Exit codes: 0 stopped, 1 bad arguments or config. */
public final class PushpinMain {
    private PushpinMain() {
    }

    /**
     * SIGHUP: the config file is read again; what can change while running is applied
     * ({@code app.LiveSettings}), one line per changed setting saying so, or that it needs a restart.
     */
    private static void rereadConfig(PushpinCommandLine.Parsed parsed, PushpinServer server, Logging logging,
                                     Logger log) {
        PushpinConfig before = server.config();
        PushpinConfig inFile;
        PushpinConfig now;
        try {
            inFile = ConfigLoader.load(parsed.options());
            now = server.reconfigure(inFile);
        } catch (ConfigException e) {
            log.warn("SIGHUP: {} not applied: {}", before.configFile(), e.getMessage());
            return;
        }
        if (!now.runner().logLevels().equals(before.runner().logLevels())) {
            logging.levels(now.runner().logLevels());
        }
        for (ConfigChanges.Change c : ConfigChanges.between(before, now)) {
            log.info("SIGHUP: {}: applied", c.describe());
        }
        for (ConfigChanges.Change c : ConfigChanges.between(now, inFile)) {
            log.warn("SIGHUP: {}: {}", c.describe(), LiveSettings.unused(c.setting())
                    ? "not used by this server (see the warning at start-up)" : "needs a restart");
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
        Logging logging;
        try {
            logging = Logging.configure(config.runner(), config.instanceId());
        } catch (java.io.IOException e) {
            err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Logger log = LoggerFactory.getLogger("pushpin");
        if (config.configFile() == null) {
            log.info("no config file found, using built-in defaults");
        }
        PushpinServer server;
        try {
            server = PushpinServer.start(config);
        } catch (Exception e) {
            // Netty's and JeroMQ's "Address already in use" name no address: find the ports taken and name them
            List<String> busy = BusyPorts.isAddressInUse(e) ? BusyPorts.of(config) : List.of();
            if (busy.isEmpty()) {
                log.error("failed to start: {}", e.toString());
            } else {
                log.error("failed to start: address already in use: {} (another process listens there: stop it "
                        + "or change the setting)", String.join(", ", busy));
            }
            System.exit(1);
            return;
        }
        log.info("{}", ReadyLine.of(server));
        Signals.onHangup(() -> {
            logging.reopen();
            log.info("reloading: log files reopened, routes and {} read again (SIGHUP)",
                    config.configFile() == null ? "settings" : config.configFile());
            server.reloadRoutes();
            rereadConfig(parsed, server, logging, log);
        });
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM drains: held clients are told to reconnect and get shutdown_grace to leave; a second SIGTERM stops
        // at once. Other ways to stop (SIGINT, System.exit) close at once through the hook.
        Signals.onTerminate(() -> {
            // as in force now: shutdown_grace may have changed on SIGHUP
            java.time.Duration grace = java.time.Duration.ofSeconds(server.config().timeouts().shutdownGraceSeconds());
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
