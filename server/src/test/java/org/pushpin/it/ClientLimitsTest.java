package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawClient.Outcome;
import org.pushpin.testing.RawClient.Responded;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Per-connection limits (docs/configuration.md#runner-keys, docs/compatibility.md#deliberately-different): the request
 * head must fit {@code client_buffer_size} and have at most 64 headers (1.36 drops the connection, 1.40+ answers 400:
 * either is accepted, a forwarded request is not); {@code client_maxconn} makes excess connections wait.
 */
@Timeout(30)
class ClientLimitsTest {

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .build();

    @AfterEach
    void serverStillServes() throws Exception {
        assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/still-serving")).status()).isEqualTo(200);
    }

    /** A GET whose head is about {@code headBytes} long, padded with one header. */
    private static Req withHeadSize(String path, int headBytes) {
        Req probe = Req.get(path).header("X-Pad", "");
        int pad = headBytes - probe.head().length;
        return Req.get(path).header("X-Pad", "p".repeat(Math.max(0, pad)));
    }

    private static Req withHeaderCount(String path, int total) {
        Req r = Req.get(path); // Host is one
        for (int i = 1; i < total; i++) {
            r.header("X-H" + i, "v");
        }
        return r;
    }

    private static Outcome send(PushpinServerExtension server, Req req) throws Exception {
        try (RawClient c = RawClient.connect(server.httpPort())) {
            try {
                c.send(req);
            } catch (java.net.SocketException e) {
                return new RawClient.Closed("reset while sending: " + e.getMessage());
            }
            return c.outcome(Duration.ofSeconds(5));
        }
    }

    private static void assertServed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Responded.class);
        assertThat(((Responded) outcome).response().status()).isEqualTo(200);
    }

    @Test
    void requestHeadWithinTheDefaultBufferIsServed() throws Exception {
        assertServed(send(pushpin, withHeadSize("/limit/fits", 6000)));
        assertThat(origin.awaitRequest("/limit/fits").header("X-Pad").orElseThrow()).hasSizeGreaterThan(5000);
    }

    @ParameterizedTest(name = "{0} byte head")
    @ValueSource(ints = {9000, 20_000, 100_000})
    void requestHeadBeyondTheDefaultBufferIsRefused(int size) throws Exception {
        BadClientInputTest.assertRejected(send(pushpin, withHeadSize("/limit/too-big", size)));
        assertThat(origin.requestsTo("/limit/too-big")).isEmpty();
    }

    @Test
    void configuredClientBufferSizeIsTheLimit() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .runner("client_buffer_size", "4096")
                .routes("* " + origin.target())
                .start()) {
            assertServed(send(server, withHeadSize("/limit/small-ok", 3000)));
            BadClientInputTest.assertRejected(send(server, withHeadSize("/limit/small-too-big", 5000)));
            assertThat(origin.requestsTo("/limit/small-too-big")).isEmpty();
        }
    }

    @Test
    void sixtyHeadersAreServed() throws Exception {
        assertServed(send(pushpin, withHeaderCount("/limit/60-headers", 60)));
    }

    @Test
    void moreThan64HeadersAreRefused() throws Exception {
        BadClientInputTest.assertRejected(send(pushpin, withHeaderCount("/limit/70-headers", 70)));
        assertThat(origin.requestsTo("/limit/70-headers")).isEmpty();
    }

    @Test
    void configuredClientMaxHeadersIsTheLimit() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PushpinServerExtension.againstReference(),
                "client_max_headers is ours (condure's 64 is fixed)");
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .runner("client_max_headers", "10")
                .routes("* " + origin.target())
                .start()) {
            assertServed(send(server, withHeaderCount("/limit/10-headers", 10)));
            BadClientInputTest.assertRejected(send(server, withHeaderCount("/limit/11-headers", 11)));
            assertThat(origin.requestsTo("/limit/11-headers")).isEmpty();
        }
    }

    @Test
    void connectionsBeyondClientMaxconnWaitUntilOneCloses() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .runner("client_maxconn", "2")
                .routes("* " + origin.target())
                .start()) {
            RawClient first = RawClient.connect(server.httpPort());
            RawClient second = RawClient.connect(server.httpPort());
            try (RawClient third = RawClient.connect(server.httpPort())) {
                assertThat(first.exchange(Req.get("/limit/conn/1")).status()).isEqualTo(200);
                assertThat(second.exchange(Req.get("/limit/conn/2")).status()).isEqualTo(200);

                third.send(Req.get("/limit/conn/3"));
                assertThat(third.outcome(Duration.ofMillis(200))).as("third connection waits")
                        .isInstanceOf(RawClient.Silent.class);
                assertThat(origin.requestsTo("/limit/conn/3")).isEmpty();

                first.close();
                RawResponse resp = third.read();
                assertThat(resp.status()).isEqualTo(200);
                assertThat(resp.bodyText()).isEqualTo("origin GET /limit/conn/3");
            } finally {
                first.close();
                second.close();
            }
        }
    }
}
