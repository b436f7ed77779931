package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void webSocketItemsCarryTheStampAsWsMessageContentOnly() throws IOException {
        JsonNode items = JSON.readTree(new PublishBody(Mode.WS).rooms(3, 2, 2)).get("items");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).get("channel").asText()).isEqualTo("room-3");
        assertThat(items.get(1).get("channel").asText()).isEqualTo("room-4");
        assertThat(items.get(2).get("channel").asText()).isEqualTo("room-3");
        JsonNode formats = items.get(0).get("formats");
        assertThat(formats.fieldNames()).toIterable().containsExactly("ws-message");
        assertThat(formats.get("ws-message").get("content").asText()).matches("@[0-9]+");
        assertThat(new PublishBody(Mode.WS_OVER_HTTP).rooms(0, 1, 1)).isNotEmpty();
    }

    @Test
    void httpItemsKeepTheirStreamAndResponseFormats() throws IOException {
        JsonNode item = JSON.readTree(new PublishBody(Mode.SSE).rooms(0, 1, 1)).get("items").get(0);
        assertThat(item.get("formats").fieldNames()).toIterable().containsExactly("http-stream", "http-response");
        String content = item.get("formats").get("http-stream").get("content").asText();
        assertThat(content).matches("data: @[0-9]+\n\n");
        String stamp = content.substring("data: ".length()).trim();
        assertThat(item.get("formats").get("http-response").get("body").asText()).isEqualTo(stamp + "\n");
    }

    @Test
    void probeGoesToEachListedRoomAndCarriesNoStamp() throws IOException {
        JsonNode items = JSON.readTree(PublishBody.probe(List.of(1, 7))).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(1).get("channel").asText()).isEqualTo("room-7");
        String content = items.get(0).get("formats").get("ws-message").get("content").asText();
        assertThat(content).isEqualTo(WsClient.PROBE).doesNotContain("@");
    }
}
