package org.pushpin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.config.HandlerConfig;
import org.pushpin.message.PublishItem;
import org.pushpin.message.ReferenceBodies;
import org.pushpin.publish.Publisher;
import org.pushpin.transport.Transport;

/**
 * The control API over real sockets, byte for byte against what Pushpin 1.36 answered
 * (docs/publishing.md#http-control-api).
 */
@Timeout(30)
class ControlApiServerTest {
    static EventLoopGroup group;
    static RecordingPublisher publisher;
    static ControlApiServer server;

    @BeforeAll
    static void start() throws Exception {
        group = Transport.best().newGroup(2, new DefaultThreadFactory("control-test", true));
        publisher = new RecordingPublisher();
        server = ControlApiServer.start(group, Transport.best(), config(0, 10_000, 1_000_000), publisher);
    }

    @AfterAll
    static void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    static HandlerConfig config(int port, int maxHeaders, int maxBody) {
        return new HandlerConfig("", List.of(), false, "127.0.0.1", port, maxHeaders, maxBody, "", "", -1, -1, -1,
                5000, 0, 20, 60, 0, 10, "tnetstring", null, "", false);
    }

    /** Sends the bytes as one write and reads everything until the server closes. */
    static byte[] exchange(InetSocketAddress addr, byte[] request) throws IOException {
        try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return s.getInputStream().readAllBytes();
        }
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static List<ReferenceExchanges.Exchange> exchanges() {
        return ReferenceExchanges.all();
    }

    @ParameterizedTest
    @MethodSource("exchanges")
    void answersExactlyLikeReference(ReferenceExchanges.Exchange e) throws Exception {
        byte[] got = exchange(server.address(), e.request().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1(got)).isEqualTo(e.response());
    }

    static List<ReferenceBodies.Case> bodies() {
        return ReferenceBodies.all();
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void publishBodiesLikeReference(ReferenceBodies.Case c) throws Exception {
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /publish HTTP/1.1\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] req = new byte[head.length + body.length];
        System.arraycopy(head, 0, req, 0, head.length);
        System.arraycopy(body, 0, req, head.length, body.length);
        String resp = new String(exchange(server.address(), req), StandardCharsets.UTF_8);
        assertThat(resp).startsWith("HTTP/1.1 " + c.status() + " ");
        assertThat(resp.substring(resp.indexOf("\r\n\r\n") + 4)).isEqualTo(c.response());
    }

    @Test
    void publishedItemsReachThePublisherInOrderAfterThe200() throws Exception {
        drain();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/publish/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":["
                        + "{\"channel\":\"a\",\"id\":\"1\",\"formats\":{\"http-stream\":{\"content\":\"x\\n\"}}},"
                        + "{\"channel\":\"b\",\"ws-message\":{\"content\":\"y\"}}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Published\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
        List<PublishItem> items = publisher.next();
        assertThat(items).extracting(PublishItem::channel).containsExactly("a", "b");
        assertThat(new String(items.get(0).httpStream().content(), StandardCharsets.UTF_8)).isEqualTo("x\n");
        assertThat(publisher.quiet()).isTrue();
    }

    @Test
    void jsonAnswerWithHttpClient() throws Exception {
        drain();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/publish"))
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"channel\":\"c\",\"http-response\":"
                        + "{\"body\":\"b\"}}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"message\":\"Published\"}\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(publisher.next()).hasSize(1);
    }

    @Test
    void oneBadItemPublishesNothing() throws Exception {
        drain();
        String resp = latin1(exchange(server.address(), post("{\"items\":[{\"channel\":\"a\",\"http-stream\":"
                + "{\"content\":\"x\"}},{\"channel\":\"b\"}]}")));
        assertThat(resp).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("Invalid format: no formats specified\n");
        assertThat(publisher.quiet()).isTrue();
    }

    @Test
    void emptyItemListPublishesNothing() throws Exception {
        drain();
        assertThat(latin1(exchange(server.address(), post("{\"items\":[]}")))).endsWith("\r\n\r\nPublished\n");
        assertThat(publisher.quiet()).isTrue();
    }

    @Test
    void recoverRunsAfterTheAnswer() throws Exception {
        int before = publisher.recovers();
        assertThat(latin1(exchange(server.address(), "POST /recover HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)))).endsWith("\r\n\r\nUpdated\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publisher.recovers() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(publisher.recovers()).isEqualTo(before + 1);
        // The publisher is called before the answer is written, so the answer is all there is to wait for.
        assertThat(latin1(exchange(server.address(), "GET /recover HTTP/1.1\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)))).startsWith("HTTP/1.1 405 ");
        assertThat(publisher.recovers()).isEqualTo(before + 1);
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        drain();
        byte[] body = "{\"items\":[{\"channel\":\"c\",\"http-stream\":{\"content\":\"x\"}}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST /publish HTTP/1.1\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] cont = in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertThat(latin1(cont)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            out.write(body);
            out.flush();
            assertThat(latin1(in.readAllBytes())).startsWith("HTTP/1.1 200 OK\r\n").endsWith("Published\n");
        }
        assertThat(publisher.next()).hasSize(1);
    }

    @Test
    void bodyArrivingInPieces() throws Exception {
        drain();
        byte[] req = post("{\"items\":[{\"channel\":\"slow\",\"http-stream\":{\"content\":\"x\"}}]}");
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(5000);
            for (byte b : req) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            }
            assertThat(latin1(s.getInputStream().readAllBytes())).endsWith("Published\n");
        }
        assertThat(publisher.next().get(0).channel()).isEqualTo("slow");
    }

    @Test
    void configuredLimits() throws Exception {
        try (ControlApiServer small = ControlApiServer.start(group, Transport.best(), config(0, 100, 50), publisher)) {
            assertThat(latin1(exchange(small.address(), post("{\"items\":[]}")))).endsWith("Published\n");
            assertThat(latin1(exchange(small.address(), post("{\"items\":[" + " ".repeat(40) + "]}"))))
                    .startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\nRequest body too large.\n");
            String pad = "GET / HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n";
            assertThat(latin1(exchange(small.address(), pad.getBytes(StandardCharsets.ISO_8859_1))))
                    .startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\nRequest header too large.\n");
        }
    }

    @Test
    void headerExactlyAtTheLimitStillFits() throws Exception {
        try (ControlApiServer small = ControlApiServer.start(group, Transport.best(), config(0, 100, 50), publisher)) {
            String head = "GET / HTTP/1.1\r\nX: ";
            String ok = head + "a".repeat(100 - head.length() - 3) + "\r\n\n";
            assertThat(ok).hasSize(100);
            assertThat(latin1(exchange(small.address(), ok.getBytes(StandardCharsets.ISO_8859_1))))
                    .endsWith("Pushpin API\n");
            String tooBig = head + "a".repeat(100 - head.length() - 2) + "\r\n\n";
            assertThat(latin1(exchange(small.address(), tooBig.getBytes(StandardCharsets.ISO_8859_1))))
                    .endsWith("Request header too large.\n");
        }
    }

    @Test
    void notStartedWithoutPort() throws Exception {
        try (ControlApiServer off = ControlApiServer.start(group, Transport.best(), config(-1, 100, 50), publisher)) {
            assertThat(off.address()).isNull();
        }
    }

    @Test
    void clientThatGoesAwayMidRequestHarmsNothing() throws Exception {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write("POST /publish HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"it"
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(latin1(exchange(server.address(), "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))
                .endsWith("Pushpin API\n");
    }

    /** Forgets the leftovers of earlier tests. */
    private static void drain() {
        publisher.clear();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static byte[] post(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("POST /publish HTTP/1.1\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    void aPublishThePublisherCannotTakeIsAnsweredWithAnErrorNotA200() throws Exception {
        Publisher refusing = new Publisher() {
            @Override
            public java.util.concurrent.CompletionStage<Void> publish(List<PublishItem> items) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("broker unreachable"));
            }

            @Override
            public void recover() {
                throw new IllegalStateException("broker unreachable");
            }
        };
        ControlApiServer failing = ControlApiServer.start(group, Transport.best(), config(0, 10_000, 1_000_000),
                refusing);
        try {
            byte[] body = "{\"items\":[{\"channel\":\"a\",\"formats\":{\"http-stream\":{\"content\":\"x\"}}}]}"
                    .getBytes(StandardCharsets.UTF_8);
            String resp = latin1(exchange(failing.address(), ("POST /publish HTTP/1.1\r\nContent-Length: "
                    + body.length + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(resp).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
            assertThat(resp).endsWith("\r\n\r\nPublish failed: broker unreachable\n");
            String recover = latin1(exchange(failing.address(),
                    "POST /recover HTTP/1.1\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(recover).startsWith("HTTP/1.1 503 ");
        } finally {
            failing.close();
        }
    }
    @Test
    void aDropReportIsRefusedWhereItCannotBeMadeAndNothingIsPublished() throws Exception {
        drain();
        String resp = latin1(exchange(server.address(), post("/publish?report=drops",
                "{\"items\":[{\"channel\":\"a\",\"http-stream\":{\"content\":\"x\"}}]}")));
        assertThat(resp).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Nothing published")
                .endsWith("not available with a cluster broker (drops happen on other instances).\n");
        assertThat(publisher.quiet()).isTrue();
    }

    @Test
    void onlyPublishTakesOnlyTheReportQueryAnyOtherQueryIsNotFoundAsInPushpin() throws Exception {
        assertThat(latin1(exchange(server.address(), post("/recover?report=drops", "")))).startsWith(
                "HTTP/1.1 404 Not Found\r\n");
        assertThat(latin1(exchange(server.address(), post("/publish?x=1", "{\"items\":[]}")))).startsWith(
                "HTTP/1.1 404 Not Found\r\n");
        String bad = latin1(exchange(server.address(), post("/publish?report=all", "{\"items\":[]}")));
        assertThat(bad).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("Unknown report: only ?report=drops is supported.\n");
    }

    private static byte[] post(String path, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(b);
        return out.toByteArray();
    }
}
