package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;

/**
 * {@code message_hwm} per route (docs/publishing.md#rate-limits): a WebSocket session through a route with an
 * explicit {@code id} counts under that route's allowance, as Pushpin 1.36 keys its limiter; two routes, each with
 * as many sessions as the mark, take one item without a drop, where one allowance for all would drop half of it.
 */
@Timeout(60)
class WsRouteLimitsTest {
    private static final int PER_ROUTE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder().controlApi()
            .routes("*,id=a,path_beg=/a/ test", "*,id=b,path_beg=/b/ test")
            .handler("message_hwm", String.valueOf(PER_ROUTE))
            .build();

    @Test
    void eachRouteWithAnIdHasAHighWaterMarkOfItsOwn() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "the delivery report is ours");
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (String route : List.of("a", "a", "b", "b")) {
                clients.add(WsTestClient.connect(pushpin.httpPort(), "/" + route + "/ws"));
            }
            Await.until(Duration.ofSeconds(5), () -> pushpin.server().hub().subscriberCount("test") == 4,
                    "the four sessions subscribed to the test target's channel");
            // one item at a time, each received before the next: the mark is per route, the four in flight at once
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = pushpin.publisher().post("/publish?report=drops", "{\"items\": ["
                        + Publish.item("test").format("ws-message", "{\"content\": \"m" + i + "\"}").json() + "]}");

                JsonNode report = JSON.readTree(r.body());
                assertThat(report.get("items").get(0).get("receivers").asInt()).isEqualTo(4);
                assertThat(report.get("dropped").asLong()).as("item %d: %s", i, r.body()).isZero();
                for (WsTestClient c : clients) {
                    assertThat(c.peer.nextMessage().toString()).isEqualTo("text[m" + i + "]");
                }
            }
        } finally {
            for (WsTestClient c : clients) {
                c.close();
            }
        }
    }
}
