package org.pushpin.hold;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.pushpin.message.Action;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.message.WsMessageFormat;
import org.pushpin.message.WsMessageFormat.Type;

class WsMessageDeliveryTest {
    private static PublishItem ws(Action action, Type type, byte[] content) {
        return new PublishItem("c", null, null, Map.of(), false, -1, null, null,
                new WsMessageFormat(action, type, content, -1, null, List.of()));
    }

    /** The one frame a client's decoder reads from {@code bytes} (it must be exactly one whole frame). */
    private static WebSocketFrame decode(ByteBuf bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 24));
        ch.writeInbound(bytes.duplicate());
        WebSocketFrame f = ch.readInbound();
        Object more = ch.readInbound();
        assertThat(more).isNull();
        ch.finishAndReleaseAll();
        return f;
    }

    @Test
    void aTextMessageIsOneUnmaskedFinalFrame() {
        ByteBuf b = WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, Type.TEXT, "hi".getBytes(UTF_8)));
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("81026869");
        assertThat(b.isReadOnly()).isTrue();
        assertThat(b.isDirect()).isTrue();
        // Receivers write retained duplicates and release them; the shared buffer lives on.
        ByteBuf dup = b.retainedDuplicate();
        dup.release();
        assertThat(b.release()).isFalse();
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("81026869");
    }

    @Test
    void largeMessagesAreStillOneBufferWithTheExtendedLength() {
        byte[] big = new byte[70_000];
        ByteBuf b = WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, Type.BINARY, big));
        assertThat(b.readableBytes()).isEqualTo(2 + 8 + big.length);
        assertThat(ByteBufUtil.hexDump(b, 0, 10)).isEqualTo("827f0000000000011170");
    }

    @Test
    void emptyContentPingAndPong() {
        assertThat(ByteBufUtil.hexDump(WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, Type.TEXT, new byte[0]))))
                .isEqualTo("8100");
        assertThat(ByteBufUtil.hexDump(WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, Type.PING, new byte[0]))))
                .isEqualTo("8900");
        assertThat(ByteBufUtil.hexDump(WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, Type.PONG, new byte[] {7}))))
                .isEqualTo("8a0107");
    }

    @Test
    void nothingForCloseHintOrItemsWithoutWsMessage() {
        assertThat(WsMessageDelivery.INSTANCE.encode(ws(Action.CLOSE, Type.TEXT, new byte[0]))).isNull();
        assertThat(WsMessageDelivery.INSTANCE.encode(ws(Action.HINT, Type.TEXT, new byte[0]))).isNull();
        PublishItem streamOnly = new PublishItem("c", null, null, Map.of(), false, -1, null,
                new HttpStreamFormat(Action.SEND, "x".getBytes(UTF_8), List.of()), null);
        assertThat(WsMessageDelivery.INSTANCE.encode(streamOnly)).isNull();
    }

    @Property(tries = 300)
    void whatIsEncodedDecodesToTheSameMessage(@ForAll Type type, @ForAll("contents") byte[] content) {
        if ((type == Type.PING || type == Type.PONG) && content.length > 125) {
            content = java.util.Arrays.copyOf(content, 125); // control frames carry at most 125 bytes
        }
        ByteBuf b = WsMessageDelivery.INSTANCE.encode(ws(Action.SEND, type, content));
        WebSocketFrame f = decode(b);
        try {
            Class<?> expected = switch (type) {
                case TEXT -> TextWebSocketFrame.class;
                case BINARY -> BinaryWebSocketFrame.class;
                case PING -> PingWebSocketFrame.class;
                case PONG -> PongWebSocketFrame.class;
            };
            assertThat(f).isInstanceOf(expected);
            assertThat(f.isFinalFragment()).isTrue();
            assertThat(ByteBufUtil.getBytes(f.content())).isEqualTo(content);
        } finally {
            f.release();
        }
    }

    @Provide
    Arbitrary<byte[]> contents() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                // around the 16-bit length boundary (126 / 127 length codes); the bytes themselves matter less
                Arbitraries.integers().between(65_530, 65_545).map(n -> {
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) (i * 31);
                    }
                    return b;
                }),
                Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(UTF_8)));
    }
}
