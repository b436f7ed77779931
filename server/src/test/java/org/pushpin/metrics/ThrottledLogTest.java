package org.pushpin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A warning repeated a thousand times in a burst is logged once; the next one after the interval says how many. */
class ThrottledLogTest {
    @Test
    void aBurstIsOneLineAndTheNextCountsWhatWasLeftOut() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        ThrottledLog log = new ThrottledLog(logger, 200);
        for (int i = 0; i < 1000; i++) {
            log.warn("dropped {}", i);
        }
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("dropped 0");
        long until = System.nanoTime() + 2_000_000_000L;
        while (lines.list.size() < 2 && System.nanoTime() < until) {
            log.warn("dropped {}", -1);
            Thread.sleep(50);
        }
        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(1).getFormattedMessage()).startsWith("dropped -1 (and ").endsWith(" more like it since the last)");
        logger.detachAppender(lines);
    }
}
