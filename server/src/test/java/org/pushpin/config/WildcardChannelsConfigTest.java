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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** {@code [handler] wildcard_channels} (docs/wildcard-channels.md): off unless set; an odd value is warned of. */
class WildcardChannelsConfigTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void listen() {
        log.start();
        ((Logger) LoggerFactory.getLogger(Settings.class)).addAppender(log);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(Settings.class)).detachAppender(log);
    }

    private HandlerConfig load(String text) throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, text);
        StartOptions opts = new StartOptions(file, null, null, false, null, null, List.of());
        return ConfigLoader.load(opts, dir, List.of()).handler();
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("wildcard")).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                    | false | false",
        "`[handler]\n`                         | false | false",
        "`[handler]\nwildcard_channels=true\n` | true  | false",
        "`[handler]\nwildcard_channels=1\n`    | true  | false",
        "`[handler]\nwildcard_channels=false\n`| false | false",
        "`[handler]\nwildcard_channels=\n`     | false | false",
        "`[handler]\nwildcard_channels=yes\n`  | true  | true",
        "`[handler]\nwildcard_channels=no\n`   | true  | true",
        "`[handler]\nwildcard_channels=a,b\n`  | false | true",
    })
    void parsedWithAWarningForAnOddValue(String text, boolean on, boolean warned) throws Exception {
        HandlerConfig h = load(text.replace("\\n", "\n"));
        assertThat(h.wildcardChannels()).isEqualTo(on);
        if (warned) {
            assertThat(warnings()).singleElement().asString().contains("pushpin.conf").contains("wildcard_channels");
        } else {
            assertThat(warnings()).isEmpty();
        }
    }
}
