package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.Jwt;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * A client posting {@code application/websocket-events} itself to an {@code over_http} target could forge events
 * and meta under our Grip-Sig: refused with Pushpin's 403 unless trusted (docs/websocket.md §3, Security).
 */
@Timeout(30)
class OverHttpForbiddenTest {
    static final String UPSTREAM_KEY = "upstream-secret";
    static final String FORBIDDEN = "Client not allowed to send WebSocket events directly.\n";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .proxy("upstream_key", UPSTREAM_KEY)
            .routes("woh.test " + origin.target() + ",over_http",
                    "plain.test " + origin.target(),
                    // an unreachable first target: the check applies when the over_http target is reached
                    "failover.test 127.0.0.1:1 " + origin.target() + ",over_http")
            .build();

    private static Req events(String host) {
        return Req.post("/events").host(host).header("Content-Type", "application/websocket-events")
                .body("OPEN\r\n");
    }

    @Test
    void eventsFromTheClientAreRefusedAndNeverReachTheOrigin() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(events("woh.test"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isEqualTo("Forbidden");
            assertThat(r.headers("Content-Type")).containsExactly("text/plain");
            assertThat(r.headers("Content-Length")).containsExactly("54");
            assertThat(r.bodyText()).isEqualTo(FORBIDDEN);
            // the connection carries the next request
            RawResponse next = c.exchange(Req.get("/after").host("woh.test"));
            assertThat(next.status()).isEqualTo(200);
        }
        assertThat(origin.requestsTo("/events")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/websocket-events; charset=utf-8", "application/websocket-events;x"})
    void parametersDoNotHideTheType(String type) throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(),
                Req.get("/events").host("woh.test").header("Content-Type", type));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo(FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Application/WebSocket-Events", "application/websocket-events ;x", "text/plain"})
    void otherSpellingsAreForwardedAsPushpinDoes(String type) throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(),
                Req.post("/other").host("woh.test").header("Content-Type", type).body("x"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("origin POST /other");
    }

    @Test
    void aChunkedBodyIsRefusedTooAndTheConnectionGoesOn() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse r = c.exchange(Req.post("/chunked").host("woh.test")
                    .header("Content-Type", "application/websocket-events").chunked("OPEN\r\n", "TEXT 1\r\nx\r\n"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(c.exchange(Req.get("/after-chunked").host("woh.test")).status()).isEqualTo(200);
        }
        assertThat(origin.requestsTo("/chunked")).isEmpty();
    }

    @Test
    void routesWithoutOverHttpForwardTheEvents() throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), events("plain.test"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(origin.awaitRequest("/events").bodyText()).isEqualTo("OPEN\r\n");
    }

    @Test
    void theCheckAppliesOnFailoverToAnOverHttpTarget() throws Exception {
        RawResponse r = RawClient.exchange(pushpin.httpPort(), events("failover.test"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo(FORBIDDEN);
    }

    @Test
    void aTrustedClientMaySendEvents() throws Exception {
        String token = Jwt.signHs256(Map.of("iss", "someone", "exp", Instant.now().getEpochSecond() + 600),
                UPSTREAM_KEY);
        RawResponse r = RawClient.exchange(pushpin.httpPort(),
                Req.post("/trusted").host("woh.test").header("Grip-Sig", token)
                        .header("Content-Type", "application/websocket-events").body("OPEN\r\n"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(origin.awaitRequest("/trusted").bodyText()).isEqualTo("OPEN\r\n");
    }
}
