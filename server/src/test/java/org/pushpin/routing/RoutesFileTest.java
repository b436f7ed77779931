package org.pushpin.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Uses the real 250 ms poll and 1 s reload delay, so each change is seen within about 1.3 s; the tests that show a
 * reload leaving the table alone use short delays and wait for the reload's warning instead.
 */
class RoutesFileTest {

    private static final Duration WITHIN = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within " + WITHIN);
            }
            Thread.sleep(20);
        }
    }

    /** The warnings {@link RoutesFile} logs while it is open (the sign that a reload attempt is over). */
    private static final class Warnings implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger(RoutesFile.class);
        private final Level level = logger.getLevel();
        private final ListAppender<ILoggingEvent> events = new ListAppender<>();

        Warnings() {
            logger.setLevel(Level.WARN); // whatever level an earlier test in this JVM gave the root logger
            events.start();
            logger.addAppender(events);
        }

        void await(String message) throws InterruptedException {
            RoutesFileTest.await(() -> {
                synchronized (events) { // the watcher thread appends under this lock
                    return events.list.stream()
                            .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().equals(message));
                }
            });
        }

        @Override
        public void close() {
            logger.detachAppender(events);
            logger.setLevel(level);
        }
    }

    private static Optional<String> idFor(RoutesFile routes, String host) {
        return routes.current().match(host, "/", false, false).map(Route::id);
    }

    @Test
    void loadsAtOpenAndSwapsInAChangedFile() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file)) {
            assertThat(idFor(routes, "a")).contains("one");
            RouteTable before = routes.current();

            Files.writeString(file, "*,id=two 127.0.0.1:2\n");
            await(() -> idFor(routes, "a").equals(Optional.of("two")));
            assertThat(routes.current()).isNotSameAs(before);
        }
    }

    @Test
    void missingFileGivesAnEmptyTableThenLoadsOnceCreated() throws Exception {
        Path file = dir.resolve("routes");
        try (RoutesFile routes = RoutesFile.open(file)) {
            assertThat(routes.current().match("a", "/", false, false)).isEmpty();
            Files.writeString(file, "*,id=late test\n");
            await(() -> idFor(routes, "a").equals(Optional.of("late")));
        }
    }

    @Test
    void badLinesAreSkippedAndGoodLinesLoaded() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file)) {
            Files.writeString(file, "* localhost:abc\nexample.com,id=ex 127.0.0.1:2\n");
            await(() -> routes.current().byId("ex").isPresent());
            assertThat(idFor(routes, "a")).isEmpty();
            assertThat(routes.warnings()).extracting(Object::toString)
                    .containsExactly(file + ":1: target invalid port");
        }
    }

    /** The reference, given random bytes, logs each line and ends with "routes loaded with 0 entries". */
    @Test
    void garbageGivesAnEmptyTable() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file)) {
            byte[] junk = new byte[300];
            new Random(42).nextBytes(junk);
            junk[0] = (byte) 0xC3; // invalid UTF-8 must not be fatal
            junk[1] = (byte) 0x28;
            Files.write(file, junk);
            await(() -> routes.current().byId("one").isEmpty());
            assertThat(routes.current().match("a", "/", false, false)).isEmpty();
        }
    }

    /** As in Pushpin: "unable to open routes file" and the old table stays. */
    @Test
    void deletedFileKeepsTheOldTableAndARecreatedOneIsLoaded() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (Warnings warnings = new Warnings(); RoutesFile routes = RoutesFile.open(file, 20, 20)) {
            Files.delete(file);
            warnings.await("unable to open routes file: " + file); // the reload that found no file is done
            assertThat(idFor(routes, "a")).contains("one");

            Files.writeString(file, "*,id=again 127.0.0.1:1\n");
            await(() -> idFor(routes, "a").equals(Optional.of("again")));
        }
    }

    @Test
    void unreadableFileKeepsTheOldTable() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (Warnings warnings = new Warnings(); RoutesFile routes = RoutesFile.open(file, 20, 20)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
            assumeTrue(!Files.isReadable(file), "running as a user who can read anything");
            warnings.await("unable to open routes file: " + file); // the reload that could not read it is done
            assertThat(idFor(routes, "a")).contains("one");
        }
    }

    @Test
    void editorStyleReplaceByRenameIsSeen() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file)) {
            Path tmp = dir.resolve("routes.swp");
            Files.writeString(tmp, "*,id=renamed 127.0.0.1:1\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await(() -> idFor(routes, "a").equals(Optional.of("renamed")));
        }
    }

    @Test
    void sameSizeRewriteIsSeen() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=aaa 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file)) {
            var mtime = Files.getLastModifiedTime(file);
            Files.writeString(file, "*,id=bbb 127.0.0.1:1\n");
            Files.setLastModifiedTime(file, mtime); // content is what counts, not the timestamp
            await(() -> idFor(routes, "a").equals(Optional.of("bbb")));
        }
    }

    @Test
    void reloadReReadsAtOnce() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        try (RoutesFile routes = RoutesFile.open(file, 60_000, 60_000)) {
            Files.writeString(file, "*,id=two 127.0.0.1:1\n");
            routes.reload();
            await(() -> idFor(routes, "a").equals(Optional.of("two")));
        }
    }

    @Test
    void oneDaemonThreadWhichCloseStops() throws Exception {
        Path file = dir.resolve("routes");
        Files.writeString(file, "*,id=one 127.0.0.1:1\n");
        RoutesFile routes = RoutesFile.open(file);
        await(() -> watchThreads() == 1);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pushpin-routes-watch")))
                .allMatch(Thread::isDaemon);

        routes.close();
        await(() -> watchThreads() == 0);
        Files.writeString(file, "*,id=two 127.0.0.1:1\n");
        routes.reload(); // no-op once closed
        // Only the watcher thread swaps tables, and it has ended (and reload() started no other): nothing to wait for.
        assertThat(watchThreads()).isZero();
        assertThat(idFor(routes, "a")).contains("one");
    }

    private static long watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pushpin-routes-watch") && t.isAlive())
                .count();
    }

    @Test
    void fileIsReported() throws IOException {
        Path file = dir.resolve("routes");
        try (RoutesFile routes = RoutesFile.open(file)) {
            assertThat(routes.file()).isEqualTo(file);
            assertThat(routes.warnings()).isEmpty();
        }
    }
}
