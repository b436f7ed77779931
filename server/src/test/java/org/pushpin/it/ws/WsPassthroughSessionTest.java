package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.proxy.WsConnection;
import org.pushpin.proxy.WsSession;
import org.pushpin.testing.Await;
import org.pushpin.testing.PushpinServerExtension;

/**
 * The GRIP session seam on passthrough, from the proxy's side: when a session is opened, what it is told (control
 * messages, origin messages, the end, once), and what it can do to the connection (send, send a shared encoded
 * frame, close, detach). The sessions here only record; the holds package implements the real ones.
 */
@Timeout(60)
class WsPassthroughSessionTest {
    static final WsTestOrigin origin = WsPassthroughHandshakeTest.startOrigin();

    /** Only writes the configuration (and checks it starts); the proxy under test is the harness. */
    @RegisterExtension
    static final PushpinServerExtension config = PushpinServerExtension.builder()
            .routes("localhost,path_beg=/sub,prefix=pre- 127.0.0.1:" + origin.port() + ",sub=news,sub=sport",
                    "localhost,prefix=pre- 127.0.0.1:" + origin.port())
            .build();

    static final BlockingQueue<Recorded> opened = new LinkedBlockingQueue<>();
    static WsSessionHarness harness;

    /** What one session was told. */
    static final class Recorded implements WsSession {
        final WsConnection connection;
        final BlockingQueue<String> controls = new LinkedBlockingQueue<>();
        final AtomicInteger originMessages = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Recorded(WsConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onControl(String json) {
            controls.add(json);
        }

        @Override
        public void onOriginMessage() {
            originMessages.incrementAndGet();
        }

        @Override
        public void closed() {
            closed.incrementAndGet();
        }

        void run(Runnable r) {
            connection.loop().submit(r).syncUninterruptibly();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "the seam is ours");
        harness = new WsSessionHarness(config.configFile(), connection -> {
            Recorded r = new Recorded(connection);
            opened.add(r);
            return r;
        });
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
        origin.close();
    }

    @BeforeEach
    void reset() {
        origin.reset();
        opened.clear();
    }

    private static Recorded nextSession() throws InterruptedException {
        Recorded r = opened.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a session opened").isNotNull();
        return r;
    }

    @Test
    void theGripExtensionOpensASessionThatGetsControlAndOriginMessages() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/grip")) {
            WsPeer o = origin.nextConnection();
            Recorded s = nextSession();
            assertThat(s.connection.channelPrefix()).isEqualTo("pre-");
            assertThat(s.connection.implicitChannels()).isEmpty();
            o.send(new TextWebSocketFrame("c:{\"type\":\"subscribe\",\"channel\":\"x\"}"));
            o.send(new TextWebSocketFrame("m:hi"));
            assertThat(s.controls.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"subscribe\",\"channel\":\"x\"}");
            assertThat(c.peer.next().text()).isEqualTo("hi");
            assertThat(s.originMessages.get()).isEqualTo(1);
        }
    }

    @Test
    void subChannelsOpenASessionWithoutTheExtensionAndMessagesPassAsSent() throws Exception {
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/sub")) {
            WsPeer o = origin.nextConnection();
            Recorded s = nextSession();
            assertThat(s.connection.implicitChannels()).isEqualTo(List.of("news", "sport"));
            o.send(new TextWebSocketFrame("c:not control without the extension"));
            assertThat(c.peer.next().text()).isEqualTo("c:not control without the extension");
        }
    }

    @Test
    void noExtensionAndNoSubChannelsOpenNoSession() throws Exception {
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/plain")) {
            WsPeer o = origin.nextConnection();
            o.send(new TextWebSocketFrame("x"));
            assertThat(c.peer.next().text()).isEqualTo("x");
            assertThat(opened).isEmpty();
        }
    }

    @Test
    void aSharedEncodedFrameReachesEveryClientAndStaysTheCallers() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        byte[] payload = "published".getBytes(StandardCharsets.UTF_8);
        ByteBuf shared = Unpooled.directBuffer().writeByte(0x81).writeByte(payload.length).writeBytes(payload);
        try (WsTestClient a = WsTestClient.connect(harness.port(), "/a");
             WsTestClient b = WsTestClient.connect(harness.port(), "/b")) {
            Recorded sa = nextSession();
            Recorded sb = nextSession();
            sa.run(() -> sa.connection.sendSharedToClient(shared));
            sb.run(() -> sb.connection.sendSharedToClient(shared));
            sa.run(() -> sa.connection.sendToClient(new TextWebSocketFrame("own")));
            assertThat(a.peer.next().text()).isEqualTo("published");
            assertThat(b.peer.next().text()).isEqualTo("published");
            assertThat(a.peer.next().text()).isEqualTo("own");
            Await.until(Duration.ofSeconds(10), () -> shared.refCnt() == 1, "the writers' duplicates released");
            assertThat(shared.readerIndex()).isZero();
            assertThat(shared.readableBytes()).isEqualTo(2 + payload.length);
        } finally {
            shared.release();
        }
    }

    @Test
    void closeClosesTheClientWithTheCodeAndTheOriginToo() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/close")) {
            WsPeer o = origin.nextConnection();
            Recorded s = nextSession();
            s.run(() -> s.connection.close(4001, "pubclose"));
            WsFrame atClient = c.peer.next();
            assertThat(atClient.type()).isEqualTo("close");
            assertThat(atClient.code()).isEqualTo(4001);
            assertThat(atClient.reason()).isEqualTo("pubclose");
            assertThat(o.next().type()).isEqualTo("close");
            c.peer.awaitClosed();
            Await.until(Duration.ofSeconds(10), () -> s.closed.get() == 1, "the session told once");
        }
    }

    @Test
    void detachClosesTheOriginKeepsTheClientAndDiscardsItsMessages() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/detach")) {
            WsPeer o = origin.nextConnection();
            Recorded s = nextSession();
            s.run(() -> s.connection.detach());
            WsFrame atOrigin = o.next();
            assertThat(atOrigin.type()).isEqualTo("close");
            assertThat(atOrigin.code()).isEqualTo(-1);
            o.awaitClosed();
            c.peer.send(new TextWebSocketFrame("to nobody"));
            s.run(() -> s.connection.sendToClient(new TextWebSocketFrame("still here")));
            assertThat(c.peer.next().text()).isEqualTo("still here");
            assertThat(s.closed.get()).isZero();
            // the client's close is answered by the proxy itself
            c.peer.answerClose(false);
            c.peer.send(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(1000, "done"));
            assertThat(c.peer.next().code()).isEqualTo(1000);
            c.peer.awaitClosed();
            Await.until(Duration.ofSeconds(10), () -> s.closed.get() == 1, "the session told once");
        }
    }

    @Test
    void theSessionIsToldOnceWhenTheClientGoes() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        Recorded s;
        WsPeer o;
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/gone")) {
            o = origin.nextConnection();
            s = nextSession();
        }
        o.awaitClosed();
        Await.until(Duration.ofSeconds(10), () -> s.closed.get() == 1, "the session told");
        assertThat(s.closed.get()).isEqualTo(1);
    }

    @Test
    void theSessionIsToldOnceWhenTheOriginGoes() throws Exception {
        origin.answering(WsTestOrigin.acceptWith("Sec-WebSocket-Extensions", "grip"));
        try (WsTestClient c = WsTestClient.connect(harness.port(), "/origin-gone")) {
            WsPeer o = origin.nextConnection();
            Recorded s = nextSession();
            o.channel.close();
            c.peer.awaitClosed();
            Await.until(Duration.ofSeconds(10), () -> s.closed.get() == 1, "the session told");
            assertThat(s.closed.get()).isEqualTo(1);
        }
    }
}
