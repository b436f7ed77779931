package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;
import org.slf4j.LoggerFactory;

/**
 * The route condition option {@code log_level} (Pushpin 1.41): the messages about a route's sessions, here the
 * "too many subscriptions" one, are logged at that level instead of debug (docs/configuration.md#conditions).
 */
@Timeout(30)
class RouteLogLevelTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("*,id=plain " + origin.target(), "loud.test,id=loud,log_level=1 " + origin.target())
            .handler("connection_subscription_max", "1")
            .build();

    private static ILoggingEvent tooManyFor(String host, String routeId) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("handler");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        logger.setLevel(Level.DEBUG);
        try {
            origin.on("/many-" + routeId, stream("open\n", channel("a"), channel("b")));
            try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/many-" + routeId).host(host))) {
                s.awaitExactly("open\n", WAIT);
                Await.until(WAIT, () -> find(events, routeId) != null, "the too-many-subscriptions line");
                return find(events, routeId);
            }
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }

    private static ILoggingEvent find(ListAppender<ILoggingEvent> events, String routeId) {
        List<ILoggingEvent> list;
        synchronized (events) { // (the appender appends under its own lock, on the server's threads)
            list = List.copyOf(events.list);
        }
        for (ILoggingEvent e : list) {
            String m = e.getFormattedMessage();
            if (m.startsWith("httpsession: too many subscriptions") && m.endsWith(" route=" + routeId)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void theRoutesLevelIsUsed() throws Exception {
        assertThat(tooManyFor("loud.test", "loud").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void withoutItTheMessageIsDebug() throws Exception {
        assertThat(tooManyFor("other.test", "plain").getLevel()).isEqualTo(Level.DEBUG);
    }
}
