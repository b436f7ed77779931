package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;

/** Frames relayed both ways as they are: data, fragments, control frames with payloads, the close handshake. */
@Timeout(60)
class WsPassthroughFramesTest {
    static final WsTestOrigin origin = WsPassthroughHandshakeTest.startOrigin();

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("localhost 127.0.0.1:" + origin.port())
            .build();

    @BeforeEach
    void reset() {
        origin.reset();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    /** A client and the origin's side of the same WebSocket. */
    record Pair(WsTestClient client, WsPeer origin) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    static Pair open() throws Exception {
        WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/frames");
        return new Pair(c, origin.nextConnection());
    }

    private static BinaryWebSocketFrame binary(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b));
    }

    @Test
    void textAndBinaryGoBothWays() throws Exception {
        try (Pair p = open()) {
            p.client().peer.send(new TextWebSocketFrame("from client ✓"));
            p.client().peer.send(binary(1000));
            WsFrame t = p.origin().next();
            assertThat(t.type()).isEqualTo("text");
            assertThat(t.text()).isEqualTo("from client ✓");
            WsFrame b = p.origin().nextMessage();
            assertThat(b.type()).isEqualTo("binary");
            assertThat(java.util.Arrays.equals(b.data(), frameBytes(binary(1000)))).as("the bytes sent").isTrue();

            p.origin().send(new TextWebSocketFrame("from origin"));
            p.origin().send(binary(40_000));
            assertThat(p.client().peer.next().text()).isEqualTo("from origin");
            WsFrame big = p.client().peer.nextMessage();
            assertThat(big.type()).isEqualTo("binary");
            assertThat(java.util.Arrays.equals(big.data(), frameBytes(binary(40_000)))).as("the bytes sent").isTrue();
        }
    }

    private static byte[] frameBytes(WebSocketFrame f) {
        try {
            return io.netty.buffer.ByteBufUtil.getBytes(f.content());
        } finally {
            f.release();
        }
    }

    private static List<WebSocketFrame> fragments(int n) {
        List<WebSocketFrame> fs = new ArrayList<>();
        fs.add(new TextWebSocketFrame(false, 0, "part0-"));
        for (int i = 1; i < n; i++) {
            fs.add(new ContinuationWebSocketFrame(i == n - 1, 0,
                    Unpooled.copiedBuffer("part" + i + "-", StandardCharsets.UTF_8)));
        }
        return fs;
    }

    private static void assertFragments(WsPeer receiver, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            WsFrame f = receiver.next();
            assertThat(f.type()).isEqualTo(i == 0 ? "text" : "continuation");
            assertThat(f.fin()).isEqualTo(i == n - 1);
            assertThat(f.text()).isEqualTo("part" + i + "-");
        }
    }

    @Test
    void aMessageOfFiveFragmentsGoesBothWaysAsFiveFrames() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 stalls on more than three fragments");
        try (Pair p = open()) {
            for (WebSocketFrame f : fragments(5)) {
                p.client().peer.send(f);
            }
            assertFragments(p.origin(), 5);
            for (WebSocketFrame f : fragments(5)) {
                p.origin().send(f);
            }
            assertFragments(p.client().peer, 5);
            // and the connection goes on
            p.client().peer.send(new TextWebSocketFrame("after"));
            assertThat(p.origin().next().text()).isEqualTo("after");
        }
    }

    @Test
    void aMessageOfTwoFragmentsGoesBothWays() throws Exception {
        try (Pair p = open()) {
            for (WebSocketFrame f : fragments(2)) {
                p.client().peer.send(f);
            }
            WsFrame first = p.origin().next();
            StringBuilder all = new StringBuilder(first.text());
            WsFrame f = first;
            while (!f.fin()) {
                f = p.origin().next();
                all.append(f.text());
            }
            assertThat(all.toString()).isEqualTo("part0-part1-");
        }
    }

    @Test
    void pingsAndPongsArePassedOnWithTheirPayloadAndNotAnswered() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 (zurl) answers and empties pings");
        try (Pair p = open()) {
            p.client().peer.send(new PingWebSocketFrame(Unpooled.copiedBuffer("c-ping", StandardCharsets.UTF_8)));
            WsFrame ping = p.origin().next();
            assertThat(ping.type()).isEqualTo("ping");
            assertThat(ping.text()).isEqualTo("c-ping");
            p.origin().send(new PongWebSocketFrame(Unpooled.copiedBuffer("o-pong", StandardCharsets.UTF_8)));
            WsFrame pong = p.client().peer.next();
            assertThat(pong.type()).isEqualTo("pong");
            assertThat(pong.text()).isEqualTo("o-pong");

            p.origin().send(new PingWebSocketFrame(Unpooled.copiedBuffer("o-ping", StandardCharsets.UTF_8)));
            WsFrame oping = p.client().peer.next();
            assertThat(oping.type()).isEqualTo("ping");
            assertThat(oping.text()).isEqualTo("o-ping");
            p.client().peer.send(new PongWebSocketFrame(Unpooled.copiedBuffer("c-pong", StandardCharsets.UTF_8)));
            WsFrame cpong = p.origin().next();
            assertThat(cpong.type()).isEqualTo("pong");
            assertThat(cpong.text()).isEqualTo("c-pong");
            // nobody answered the pings on their behalf
            assertThat(p.client().peer.poll(300)).isNull();
        }
    }

    @Test
    void theClientsCloseCodeAndReasonReachTheOriginAndItsAnswerTheClient() throws Exception {
        try (Pair p = open()) {
            p.client().peer.answerClose(false);
            p.client().peer.send(new CloseWebSocketFrame(4001, "client bye"));
            WsFrame atOrigin = p.origin().next();
            assertThat(atOrigin.type()).isEqualTo("close");
            assertThat(atOrigin.code()).isEqualTo(4001);
            assertThat(atOrigin.reason()).isEqualTo("client bye");
            WsFrame answer = p.client().peer.next(); // the origin's test peer echoes the close
            assertThat(answer.type()).isEqualTo("close");
            assertThat(answer.code()).isEqualTo(4001);
            assertThat(answer.reason()).isEqualTo("client bye");
            p.client().peer.awaitClosed();
            p.origin().awaitClosed();
        }
    }

    @Test
    void theOriginsCloseCodeAndReasonReachTheClientAndItsAnswerTheOrigin() throws Exception {
        try (Pair p = open()) {
            p.origin().answerClose(false);
            p.origin().send(new CloseWebSocketFrame(4002, "origin bye"));
            WsFrame atClient = p.client().peer.next();
            assertThat(atClient.type()).isEqualTo("close");
            assertThat(atClient.code()).isEqualTo(4002);
            assertThat(atClient.reason()).isEqualTo("origin bye");
            WsFrame answer = p.origin().next(); // the client's test peer echoes it
            assertThat(answer.type()).isEqualTo("close");
            assertThat(answer.code()).isEqualTo(4002);
            p.client().peer.awaitClosed();
        }
    }

    @Test
    void anOriginThatDropsTheConnectionClosesTheClient() throws Exception {
        try (Pair p = open()) {
            p.origin().channel.close();
            p.client().peer.awaitClosed();
        }
    }

    @Test
    void aClientThatDropsTheConnectionClosesTheOrigin() throws Exception {
        try (Pair p = open()) {
            p.client().channel.close();
            p.origin().awaitClosed();
        }
    }
}
