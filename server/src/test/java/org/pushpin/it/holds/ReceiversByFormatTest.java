package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code receivers} as Pushpin counts them (docs/publishing.md): an item reaches, and counts, only the held
 * connections it has a format for. (The per-route allowance of WebSocket sessions: it/ws/WsRouteLimitsTest.)
 */
@Timeout(60)
class ReceiversByFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .controlApi()
            .build();

    private static List<HeldStream> hold(String path, String ch, int n) throws Exception {
        origin.on(path, stream("init\n", ch));
        List<HeldStream> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get(path));
            streams.add(s);
            s.awaitExactly("init\n", WAIT);
        }
        return streams;
    }

    @Test
    void anItemCountsAndReachesOnlyTheConnectionsItHasAFormatFor() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "the delivery report is ours");
        String ch = channel("formats");
        List<HeldStream> streams = hold("/s", ch, 2);
        origin.on("/lp", response(ch, "timed out\n"));
        try (RawClient poll = RawClient.connect(pushpin.httpPort())) {
            poll.send(Req.get("/lp"));
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount(ch) == 3, "the long-poll subscribed");

            HttpResponse<String> r = pushpin.publisher().post("/publish?report=drops",
                    "{\"items\": [" + Publish.item(ch).stream("s1\n").json() + "]}");
            assertThat(JSON.readTree(r.body()).get("items").get(0).get("receivers").asInt())
                    .as("http-stream only: the two streams, not the long-poll").isEqualTo(2);
            for (HeldStream s : streams) {
                s.awaitText("s1\n", WAIT);
            }

            r = pushpin.publisher().post("/publish?report=drops",
                    "{\"items\": [" + Publish.item(ch).response("r1\n").json() + "]}");
            assertThat(JSON.readTree(r.body()).get("items").get(0).get("receivers").asInt())
                    .as("http-response only: the long-poll").isEqualTo(1);
            RawResponse answer = poll.read();
            assertThat(answer.bodyText()).isEqualTo("r1\n");
            for (HeldStream s : streams) {
                assertThat(s.text()).isEqualTo("init\ns1\n");
            }
        } finally {
            for (HeldStream s : streams) {
                s.close();
            }
        }
    }
}
