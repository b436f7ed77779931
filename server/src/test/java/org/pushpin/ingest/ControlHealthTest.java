package org.pushpin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.ingest.ControlApiServerTest.config;
import static org.pushpin.ingest.ControlApiServerTest.exchange;
import static org.pushpin.ingest.ControlApiServerTest.latin1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.metrics.ServerMetrics.ConnectionKind;
import org.pushpin.metrics.ServerMetrics.HoldKind;
import org.pushpin.transport.Transport;

/**
 * {@code /health} of the control API over real sockets, with counters this test sets: 200 and its fields, HEAD,
 * 405, Accept ignored, 503 while a watched broker is disconnected (docs/publishing.md#health). The same with a
 * whole server and a real Redis: it.cluster.ControlHealthRedisTest.
 */
@Timeout(30)
class ControlHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static EventLoopGroup group;
    static ServerMetrics metrics;
    static ControlApiServer plain;   // no broker watched
    static ControlApiServer watched; // a Redis broker counting into metrics

    @BeforeAll
    static void start() throws Exception {
        group = Transport.best().newGroup(1, new DefaultThreadFactory("health-test", true));
        metrics = new ServerMetrics();
        plain = ControlApiServer.start(group, Transport.best(), config(0, 10_000, 1_000_000), new RecordingPublisher(),
                new ControlHealth(metrics, false));
        watched = ControlApiServer.start(group, Transport.best(), config(0, 10_000, 1_000_000),
                new RecordingPublisher(), new ControlHealth(metrics, true));
    }

    @AfterAll
    static void stop() {
        plain.close();
        watched.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static String ask(ControlApiServer server, String request) throws Exception {
        return latin1(exchange(server.address(), request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static JsonNode body(String response) throws Exception {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void okWithLiveCounts() throws Exception {
        metrics.connectionOpened(ConnectionKind.HTTP);
        metrics.connectionOpened(ConnectionKind.WEBSOCKET);
        metrics.holdStarted(HoldKind.STREAM);
        metrics.subscribed();
        try {
            String r = ask(plain, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Type: application/json\r\n")
                    .contains("\r\nConnection: close\r\n").endsWith("}\n");
            JsonNode b = body(r);
            assertThat(b.get("status").asText()).isEqualTo("ok");
            assertThat(b.has("reason")).isFalse();
            assertThat(b.get("broker").asText()).isEqualTo("none");
            assertThat(b.get("connections").asLong()).isEqualTo(2);
            assertThat(b.get("held").asLong()).isEqualTo(1);
            assertThat(b.get("subscriptions").asLong()).isEqualTo(1);
            String length = r.replaceAll("(?s).*\r\nContent-Length: (\\d+)\r\n.*", "$1");
            assertThat(Integer.parseInt(length)).isEqualTo(r.length() - r.indexOf("\r\n\r\n") - 4);
        } finally {
            metrics.connectionClosed(ConnectionKind.HTTP);
            metrics.connectionClosed(ConnectionKind.WEBSOCKET);
            metrics.holdEnded(HoldKind.STREAM);
            metrics.unsubscribed();
        }
    }

    @Test
    void headHasTheHeadersAndNoBody() throws Exception {
        String get = ask(plain, "GET /health HTTP/1.1\r\n\r\n");
        String head = ask(plain, "HEAD /health HTTP/1.1\r\n\r\n");
        assertThat(head).isEqualTo(get.substring(0, get.indexOf("\r\n\r\n") + 4));
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: application/json\r\n");
    }

    @Test
    void otherMethodsAre405LikePublish() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
            String r = ask(plain, method + " /health HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
            assertThat(r).isEqualTo("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
                    + "Content-Type: text/plain\r\nConnection: close\r\nContent-Length: " + (22 + method.length())
                    + "\r\n\r\nMethod not allowed: " + method + ".\n");
        }
        // /publish answers its wrong methods the same way, with its own Allow
        assertThat(ask(plain, "GET /publish HTTP/1.1\r\n\r\n")).isEqualTo("HTTP/1.1 405 Method Not Allowed\r\n"
                + "Allow: POST\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 25\r\n\r\n"
                + "Method not allowed: GET.\n");
    }

    @Test
    void alwaysJsonWhateverTheAcceptAndWithATrailingSlash() throws Exception {
        assertThat(ask(plain, "GET /health HTTP/1.1\r\nAccept: text/plain\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: application/json\r\n");
        assertThat(ask(plain, "GET /health HTTP/1.1\r\nAccept: image/png\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(ask(plain, "GET /health/ HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200 OK\r\n");
        // the rest of the API is as it was: / and an unknown path
        assertThat(ask(plain, "GET / HTTP/1.1\r\n\r\n")).endsWith("\r\n\r\nPushpin API\n");
        assertThat(ask(plain, "GET /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void unavailableWhileTheWatchedBrokerIsDisconnected() throws Exception {
        metrics.brokerConnected(true);
        JsonNode up = body(ask(watched, "GET /health HTTP/1.1\r\n\r\n"));
        assertThat(up.get("status").asText()).isEqualTo("ok");
        assertThat(up.get("broker").asText()).isEqualTo("connected");

        metrics.brokerConnected(false);
        try {
            String r = ask(watched, "GET /health HTTP/1.1\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                    .contains("Content-Type: application/json\r\n");
            JsonNode down = body(r);
            assertThat(down.get("status").asText()).isEqualTo("unavailable");
            assertThat(down.get("reason").asText()).contains("Redis");
            assertThat(down.get("broker").asText()).isEqualTo("disconnected");
            assertThat(ask(watched, "HEAD /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 503 ").endsWith("\r\n\r\n");
            // without a broker to watch the same counters do not matter
            assertThat(ask(plain, "GET /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
        } finally {
            metrics.brokerConnected(true);
        }
        assertThat(ask(watched, "GET /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
    }
}
