package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Keys of pushpin.conf that nothing reads are named at load, with file and line; the shipped files have none. */
class UnusedKeysTest {
    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.WARN);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
        logger.setLevel(levelBefore);
    }

    private List<String> warningsOf(Path file, StartOptions options) throws Exception {
        ConfigLoader.load(options, dir, List.of());
        return events.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("not used, ignored")).toList();
    }

    private static StartOptions config(Path file) {
        return new StartOptions(file, null, null, false, null, null, List.of());
    }

    @Test
    void typosAndUnknownSectionsAreNamedWithTheirLine() throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, "[runner]\nhttp_port=7999\nservices=condure\n[proxy]\nroutesfiel=routes\n"
                + "zurl_out_specs=ipc://x\n[handlr]\nmessage_rate=10\n");
        assertThat(warningsOf(file, config(file))).containsExactly(
                file + ":5: [proxy] routesfiel: not used, ignored (unknown key or section, or replaced by a "
                        + "command-line option; docs/configuration.md lists the keys)",
                file + ":8: [handlr] message_rate: not used, ignored (unknown key or section, or replaced by a "
                        + "command-line option; docs/configuration.md lists the keys)");
    }

    @Test
    void aKeyThatAnOptionReplacesIsNamed() throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, "[runner]\nhttp_port=7999\n");
        StartOptions port = new StartOptions(file, null, null, false, "8000", null, List.of());
        assertThat(warningsOf(file, port)).singleElement().asString().contains(":2: [runner] http_port: not used");
    }

    @Test
    void theShippedFilesHaveNone() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        for (Path shipped : List.of(repo.resolve("dist/conf/pushpin.conf"), repo.resolve("dist/deb/etc/pushpin.conf"),
                Path.of("/etc/pushpin/pushpin.conf"))) {
            if (shipped.startsWith("/etc")) {
                assumeTrue(Files.isRegularFile(shipped), "Debian's pushpin is not installed");
            }
            Path copy = dir.resolve("pushpin.conf");
            // rundir may be a system path: the copy's is the temp dir
            Files.writeString(copy, Files.readString(shipped).replaceAll("(?m)^rundir=.*$", "rundir=" + dir));
            assertThat(warningsOf(copy, config(copy))).as(shipped.toString()).isEmpty();
        }
    }
}
