package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;
import org.slf4j.LoggerFactory;

/**
 * Subscribed before answered: once a client has the head and initial body of a stream hold, a publish accepted
 * after that reaches it. Each test publishes once, right after the initial body, with no handshake.
 *
 * <p>To make the race certain rather than occasional, a gate on the server's {@code handler} log holds the event
 * loop at the hold's first "subscribe" line until the hub has logged the test's publish (or a second passed):
 * a server that sent the response before subscribing to every channel is caught with the publish in between.
 * A server that subscribes first has sent nothing at that point; the gate then just delays the response.
 */
@Timeout(30)
class SubscribedBeforeAnsweredTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .build();

    private final Gate gate = new Gate();

    /**
     * Holds the logging thread at the armed channel's "subscribe" line until the publish was logged. Unsynchronized:
     * the hub thread must get through to log the publish while the event loop waits here.
     */
    static final class Gate extends UnsynchronizedAppenderBase<ILoggingEvent> {
        volatile String holdAtChannel;
        volatile String releaseOnPublishTo;
        final CountDownLatch published = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent e) {
            String m = e.getFormattedMessage();
            String release = releaseOnPublishTo;
            if (release != null && m.startsWith("publish channel=" + release + " ")) {
                published.countDown();
            }
            String hold = holdAtChannel;
            if (hold != null && m.startsWith("subscribe ") && m.endsWith(" channel=" + hold)) {
                holdAtChannel = null;
                try {
                    published.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @BeforeEach
    void attachGate() {
        assumeFalse(PushpinServerExtension.againstReference(), "the gate hooks our server's log");
        gate.start();
        ((Logger) LoggerFactory.getLogger("handler")).addAppender(gate);
    }

    @AfterEach
    void detachGate() {
        ((Logger) LoggerFactory.getLogger("handler")).detachAppender(gate);
        gate.stop();
    }

    /** Opens a stream on channels a and b, gated at a's subscription; returns it once the initial body is in. */
    private HeldStream openGated(String path, Req req, String a, String b) throws Exception {
        origin.on(path, stream("initial\n", a, b));
        gate.releaseOnPublishTo = b;
        gate.holdAtChannel = a;
        HeldStream s = HeldStream.open(pushpin.httpPort(), req);
        s.awaitExactly("initial\n", WAIT);
        return s;
    }

    /** A stream on two channels, HTTP/1.1 (chunked) and HTTP/1.0 (close-delimited), published to on the second. */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void aStreamGetsAPublishOnItsSecondChannelMadeRightAfterItsBody(String version) throws Exception {
        String a = channel("first");
        String b = channel("second");
        String path = "/two-" + b;
        Publish pub = pushpin.publisher();
        try (HeldStream s = openGated(path, Req.get(path).version(version), a, b)) {
            pub.stream(b, "right after\n");
            s.awaitText("right after\n", WAIT);
            assertThat(s.text()).isEqualTo("initial\nright after\n");
        }
    }

    @Test
    void aCloseMadeRightAfterTheBodyEndsTheStream() throws Exception {
        String a = channel("close-first");
        String b = channel("close-second");
        Publish pub = pushpin.publisher();
        try (HeldStream s = openGated("/close", Req.get("/close"), a, b)) {
            pub.closeStreams(b);
            assertThat(s.awaitEnd(WAIT)).as("the close reached the stream").isTrue();
            assertThat(s.endedCleanly()).isTrue();
            assertThat(s.text()).isEqualTo("initial\n");
        }
    }

    /** Without the gate: a single channel, published to the moment the body is in, many times over. */
    @RepeatedTest(20)
    void aPublishRightAfterTheBodyIsNeverLost() throws Exception {
        String c = channel("once");
        origin.on("/once-" + c, stream("initial\n", c));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/once-" + c))) {
            s.awaitExactly("initial\n", WAIT);
            pub.stream(c, "right after\n");
            s.awaitText("right after\n", WAIT);
        }
    }
}
