package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** {@code [handler] history_size} and {@code history_ttl}: off by default; malformed values warn, never stop. */
class HistoryConfigTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void listen() {
        log.start();
        ((Logger) LoggerFactory.getLogger(Settings.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Settings.class)).detachAppender(log);
    }

    private HistoryConfig load(String handler) throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, "[handler]\n" + handler + "\n");
        return ConfigLoader.load(new StartOptions(file, null, null, false, null, null, List.of()), dir, List.of())
                .handler().history();
    }

    @Test
    void offByDefault() throws Exception {
        HistoryConfig c = load("");
        assertThat(c).isEqualTo(HistoryConfig.OFF);
        assertThat(c.on()).isFalse();
        assertThat(log.list).isEmpty();
    }

    @Test
    void setValuesAreTaken() throws Exception {
        assertThat(load("history_size=50\nhistory_ttl=10")).isEqualTo(new HistoryConfig(50, 10));
        assertThat(log.list).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "history_size=lots       ¦ 0  ¦ 300 ¦ \"lots\" is not an integer of at least 0; using 0",
        "history_size=-5         ¦ 0  ¦ 300 ¦ \"-5\" is not an integer of at least 0; using 0",
        "history_size=1,2        ¦ 0  ¦ 300 ¦ \"1,2\" is not an integer of at least 0; using 0",
        "history_ttl=0           ¦ 0  ¦ 300 ¦ \"0\" is not an integer of at least 1; using 300",
        "history_ttl=5m          ¦ 0  ¦ 300 ¦ \"5m\" is not an integer of at least 1; using 300",
    })
    void malformedValuesWarnWithTheLineAndTakeTheDefault(String line, int size, int ttl, String warning)
            throws Exception {
        assertThat(load(line)).isEqualTo(new HistoryConfig(size, ttl));
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).contains("pushpin.conf:2").contains(warning);
        });
    }
}
