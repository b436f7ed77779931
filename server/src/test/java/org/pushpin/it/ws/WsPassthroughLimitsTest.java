package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;

/**
 * Bad client frames get their RFC 6455 close code and the connection closes, while another WebSocket through the
 * same server goes on undisturbed.
 */
@Timeout(60)
class WsPassthroughLimitsTest {
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

    /** Sends {@code bad} on one WebSocket and checks the close code it gets, and that a bystander still works. */
    private static void assertClosedWith(int code, boolean masked, WebSocketFrame bad)
            throws Exception {
        assertClosedWith(code, masked, c -> c.peer.send(bad));
    }

    /**
     * Sends bytes no frame encoder would make: a masked frame (mask key 0, so the payload reads as written) put
     * straight on the socket, below the test client's codecs.
     */
    private static void assertClosedWithRaw(int code, int firstByte, byte[] payload) throws Exception {
        io.netty.buffer.ByteBuf raw = Unpooled.buffer();
        raw.writeByte(firstByte);
        if (payload.length < 126) {
            raw.writeByte(0x80 | payload.length);
        } else {
            raw.writeByte(0x80 | 126).writeShort(payload.length);
        }
        raw.writeInt(0).writeBytes(payload);
        assertClosedWith(code, true, c -> c.peer.channel.pipeline().firstContext().writeAndFlush(raw)
                .syncUninterruptibly());
    }

    private static void assertClosedWith(int code, boolean masked, java.util.function.Consumer<WsTestClient> sendBad)
            throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(),
                "1.36 answers none of these with a close frame (none within 10 s, seen)");
        try (WsTestClient bystander = WsTestClient.connect(pushpin.httpPort(), "/bystander");
             WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/bad", new DefaultHttpHeaders(), null,
                     masked)) {
            WsPeer bystanderAtOrigin = origin.nextConnection();
            origin.nextConnection();
            c.peer.answerClose(false);
            sendBad.accept(c);
            if (code < 0) {
                // the bad frame was itself a close: Netty's decoder then ends the connection without a close
                // frame of its own (the peer already started the closing handshake)
                c.peer.awaitClosed();
                WsFrame any = c.peer.poll(0);
                assertThat(any == null ? "none" : any.type()).isIn("none", "close");
            } else {
                WsFrame close = c.peer.next();
                assertThat(close.type()).isEqualTo("close");
                assertThat(close.code()).isEqualTo(code);
                c.peer.awaitClosed();
            }

            bystander.peer.send(new TextWebSocketFrame("still here"));
            assertThat(bystanderAtOrigin.next().text()).isEqualTo("still here");
        }
    }

    @Test
    void aFrameOverTheLimitIsClosedWith1009() throws Exception {
        assertClosedWith(1009, true, new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[70_000])));
    }

    @Test
    void invalidUtf8IsClosedWith1007() throws Exception {
        byte[] invalid = {'a', (byte) 0xC3, 0x28};
        assertClosedWith(1007, true, new TextWebSocketFrame(Unpooled.wrappedBuffer(invalid)));
    }

    @Test
    void anUnmaskedClientFrameIsClosedWith1002() throws Exception {
        assertClosedWith(1002, false, new TextWebSocketFrame("unmasked"));
    }

    @Test
    void aControlFrameOver125BytesIsClosedWith1002() throws Exception {
        assertClosedWithRaw(1002, 0x89, new byte[126]); // a ping
    }

    @Test
    void aCloseWithACodeNotAllowedOnTheWireEndsTheConnection() throws Exception {
        assertClosedWithRaw(-1, 0x88, new byte[] {0x03, (byte) 0xE7}); // 999
        assertClosedWithRaw(-1, 0x88, new byte[] {0x03, (byte) 0xED}); // 1005: only for "no code"
    }

    @Test
    void aReservedOpcodeIsClosedWith1002() throws Exception {
        assertClosedWithRaw(1002, 0x83, new byte[] {'x'});
    }

    @Test
    void aFrameJustUnderTheLimitPasses() throws Exception {
        try (WsTestClient c = WsTestClient.connect(pushpin.httpPort(), "/big")) {
            WsPeer o = origin.nextConnection();
            c.peer.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[60_000])));
            assertThat(o.nextMessage().data()).hasSize(60_000);
        }
    }
}
