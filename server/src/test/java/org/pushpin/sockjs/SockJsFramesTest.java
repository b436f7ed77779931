package org.pushpin.sockjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SockJsFramesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void framesAreSpelledAsSockJsSpellsThem() {
        assertThat(SockJsFrames.messages(List.of("a", "b\"c"))).isEqualTo("a[\"a\",\"b\\\"c\"]");
        assertThat(SockJsFrames.messages(List.of())).isEqualTo("a[]");
        assertThat(SockJsFrames.close(3000, "Go away!")).isEqualTo("c[3000,\"Go away!\"]");
        assertThat(SockJsFrames.quote("\u2028\u0000\u00ad\ud83d\ude00\\\n"))
                .isEqualTo("\"\\u2028\\u0000\\u00ad\\ud83d\\ude00\\\\\\n\"");
    }

    @Property
    void anyStringSurvivesTheFramingAndComesBackFromAJsonParser(@ForAll String s) throws Exception {
        String frame = SockJsFrames.messages(List.of(s, s));
        assertThat(frame).startsWith("a");
        assertThat(JSON.readValue(frame.substring(1), String[].class)).containsExactly(s, s);
        // nothing a script or an event stream would take for a line end stays unescaped
        assertThat(frame).doesNotContain("\n", "\r", "\u2028", "\u2029");
    }

    @Test
    void payloadsMustBeAJsonArrayOfStrings() throws Exception {
        assertThat(SockJsFrames.parse(b("[\"a\",\"b\\u00e9\"]"))).containsExactly("a", "b\u00e9");
        assertThat(SockJsFrames.parse(b(" [ ] "))).isEmpty();
        for (String bad : List.of("", "[", "[\"a\"", "[1]", "[null]", "[[\"a\"]]", "{}", "\"a\"", "[\"a\"]x",
                "[\"a\"][\"b\"]", "[\"a\",]", "['a']", "\u0000", "[\"\\x\"]")) {
            assertThatThrownBy(() -> SockJsFrames.parse(b(bad))).as(bad)
                    .isInstanceOf(SockJsFrames.Malformed.class).hasMessage("Payload expected");
        }
        assertThatThrownBy(() -> SockJsFrames.parse(b("[\"" + "\u00e9".repeat(100_001) + "\"]")))
                .isInstanceOf(SockJsFrames.Malformed.class).hasMessage("Message too large");
    }

    @Property
    void noByteSequenceBreaksTheParser(@ForAll byte[] junk) {
        try {
            SockJsFrames.parse(junk);
        } catch (SockJsFrames.Malformed expected) {
            // the one way it may fail
        }
    }

    @Test
    void messagesAreJoinedFromFragmentsAndEncodedFramesAndControlFramesDropped() {
        MessageJoiner j = new MessageJoiner();
        List<String> out = new ArrayList<>();
        j.frame(new TextWebSocketFrame(false, 0, "he"), out::add);
        j.frame(new PingWebSocketFrame(), out::add);
        j.frame(new ContinuationWebSocketFrame(true, 0, "llo"), out::add);
        j.frame(new BinaryWebSocketFrame(Unpooled.copiedBuffer("bin", StandardCharsets.UTF_8)), out::add);
        j.frame(new ContinuationWebSocketFrame(true, 0, "orphan"), out::add);
        assertThat(out).containsExactly("hello", "bin");

        out.clear();
        String big = "y".repeat(70_000);
        ByteBuf encoded = Unpooled.buffer();
        encoded.writeByte(0x81).writeByte(3).writeBytes("one".getBytes(StandardCharsets.UTF_8));
        encoded.writeByte(0x81).writeByte(126).writeShort(300).writeBytes("z".repeat(300).getBytes());
        encoded.writeByte(0x82).writeByte(127).writeLong(big.length()).writeBytes(big.getBytes());
        encoded.writeByte(0x81).writeByte(5).writeBytes("cut".getBytes()); // not whole: ignored
        j.encoded(encoded, out::add);
        assertThat(out).containsExactly("one", "z".repeat(300), big);
        assertThat(encoded.readerIndex()).as("shared bytes are left as they were").isZero();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
