package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.TestOrigin;

/**
 * {@code Keep-Alive-Interval} in real time (docs/websocket.md §3): an interval under 20 s counts as 20, and an idle
 * connection then POSTs no events after it. Takes over 20 s, so it runs only with {@code -Dpushpin.it.slow=true}
 * (the header's other rules are in WsOverHttpTest and WsOverHttpResponseTest).
 */
@Timeout(90)
@EnabledIfSystemProperty(named = "pushpin.it.slow", matches = "true")
class WsOverHttpKeepAliveTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target() + ",over_http")
            .build();

    @Test
    void anIdleConnectionPostsNoEventsAfterTheIntervalRaisedTo20s() throws Exception {
        origin.on("/ka", r -> WsOverHttpTest.echo(r).header("Keep-Alive-Interval", "1")
                .header("Set-Meta-User", "alice"));
        try (WsOverHttpClient c = WsOverHttpClient.connect(pushpin.httpPort(), "/ka")) {
            long opened = System.nanoTime();
            Await.until(Duration.ofSeconds(40), () -> origin.requestsTo("/ka").size() >= 2,
                    () -> "no keep-alive POST: " + origin);
            double after = (System.nanoTime() - opened) / 1e9;
            assertThat(after).isBetween(19.0, 23.0);
            List<OriginRequest> rs = origin.requestsTo("/ka");
            assertThat(rs.get(1).body()).isEmpty();
            assertThat(rs.get(1).headers("Content-Length")).containsExactly("0");
            assertThat(rs.get(1).headers("Meta-User")).containsExactly("alice");
            assertThat(rs.get(1).headers("Connection-Id")).isEqualTo(rs.get(0).headers("Connection-Id"));
            // the client still works
            c.text("still");
            assertThat(c.next()).isEqualTo("text:echo:still");
        }
    }
}
