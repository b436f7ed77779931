package org.pushpin.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes file, watched and reloaded like Pushpin's: a change is picked up and the file re-read about a second
 * later; the new table replaces the old one atomically (event loops just read {@link #current()}).
 *
 * <p>Watching is done by polling: one daemon thread reads the file every 250 ms and compares the bytes with what
 * it saw last. Polling survives what trips up a directory {@code WatchService}: editors that write a new file and
 * rename it over the old one, files replaced by symlink swaps (Kubernetes config maps), deletion and re-creation,
 * and file systems without change events or with coarse timestamps. A routes file is a few kilobytes, so four reads
 * a second cost nothing.
 *
 * <p>Like Pushpin, a file with bad lines loads its good lines (each bad one logged as a warning), so a file of
 * garbage gives an empty table; a file that cannot be opened (deleted, unreadable) keeps the old table, with the
 * warning {@code unable to open routes file: PATH}. Unlike Pushpin 1.36, whose watch is lost once the file is
 * deleted, a file created again later is loaded.
 */
public final class RoutesFile implements RouteSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoutesFile.class);

    static final long POLL_MILLIS = 250;
    static final long RELOAD_DELAY_MILLIS = 1000;

    private final Path file;
    private final long reloadDelayMillis;
    private final ScheduledExecutorService watcher;

    private volatile RouteTable table;
    private volatile List<RoutesParser.Warning> warnings;

    // Touched only on the watcher thread (and in the constructor, before it starts).
    private byte[] lastSeen;
    private ScheduledFuture<?> pendingReload;

    private RoutesFile(Path file, long pollMillis, long reloadDelayMillis) {
        this.file = Objects.requireNonNull(file, "file");
        this.reloadDelayMillis = reloadDelayMillis;
        this.table = DefaultRouteTable.EMPTY;
        this.warnings = List.of();
        this.lastSeen = read();
        if (lastSeen == null) {
            log.warn("unable to open routes file: {}", file);
        } else {
            load(lastSeen, false);
        }
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushpin-routes-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Loads the file now (a missing file gives an empty table and a warning) and starts watching it. */
    public static RoutesFile open(Path file) {
        return new RoutesFile(file, POLL_MILLIS, RELOAD_DELAY_MILLIS);
    }

    /** For tests: other poll and reload delays. */
    static RoutesFile open(Path file, long pollMillis, long reloadDelayMillis) {
        return new RoutesFile(file, pollMillis, reloadDelayMillis);
    }

    @Override
    public RouteTable current() {
        return table;
    }

    /** The warnings of the last successful load (bad lines of the file now in use). */
    public List<RoutesParser.Warning> warnings() {
        return warnings;
    }

    public Path file() {
        return file;
    }

    /** Re-reads the file now, on the watcher thread (SIGHUP). */
    public void reload() {
        if (!watcher.isShutdown()) {
            watcher.execute(this::reloadNow);
        }
    }

    /** Stops watching; {@link #current()} keeps answering with the last table. */
    @Override
    public void close() {
        watcher.shutdownNow();
    }

    private void poll() {
        try {
            byte[] now = read();
            if (Arrays.equals(now, lastSeen)) {
                return;
            }
            lastSeen = now;
            // Like Pushpin: the first change starts a one-second wait; changes during the wait join that reload.
            if (pendingReload == null) {
                log.info("routes file changed, reloading");
                pendingReload = watcher.schedule(this::reloadNow, reloadDelayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            log.warn("routes file watch: {}", e.toString());
        }
    }

    private void reloadNow() {
        try {
            if (pendingReload != null) {
                pendingReload.cancel(false);
                pendingReload = null;
            }
            byte[] bytes = read();
            lastSeen = bytes;
            if (bytes == null) {
                log.warn("unable to open routes file: {}", file);
                return;
            }
            load(bytes, true);
        } catch (RuntimeException e) {
            log.warn("routes reload failed: {}", e.toString());
        }
    }

    private void load(byte[] bytes, boolean reload) {
        // Malformed UTF-8 is replaced, not fatal: such lines then fail to parse one by one, as in Pushpin.
        RoutesParser.ParseResult result = RoutesParser.parse(new String(bytes, StandardCharsets.UTF_8),
                file.toString());
        RouteLog.skipped(log, result.warnings());
        table = result.table();
        warnings = result.warnings();
        RouteLog.loaded(log, result.routes(), reload);
    }

    /** The file's bytes, or null when it cannot be read. */
    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
