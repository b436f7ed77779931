package org.pushpin.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The JSON-P body encoding: a body streamed in parts of any size comes out exactly as the whole body would, in both
 * modes (characters cut by a part's edge, newlines held back until the end is known).
 */
class JsonpResponseTest {

    private static byte[] whole(JsonpResponse codec, byte[] body) {
        ByteBuf out = Unpooled.buffer();
        codec.body(out, Unpooled.wrappedBuffer(body), true);
        return bytes(out);
    }

    private static byte[] inParts(JsonpResponse codec, byte[] body, int partSize) {
        ByteBuf out = Unpooled.buffer();
        ByteBuf carry = Unpooled.buffer();
        for (int i = 0; i < body.length; i += partSize) {
            int n = Math.min(partSize, body.length - i);
            carry.writeBytes(body, i, n);
            codec.body(out, carry, false);
            carry.discardReadBytes();
        }
        codec.body(out, carry, true);
        return bytes(out);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        // bytes that make valid, cut and invalid UTF-8 and newlines likely
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 'a', (byte) '\n', (byte) '\r', (byte) '"', (byte) 0,
                (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F,
                (byte) 0x98, (byte) 0x80, (byte) 0xFF, (byte) 0xED, (byte) 0xA0);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(40);
    }

    @Property(tries = 2000)
    void extendedPartsEqualTheWhole(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 7) int part) {
        JsonpResponse codec = new JsonpResponse("cb".getBytes(StandardCharsets.US_ASCII), true);
        assertThat(inParts(codec, body, part)).isEqualTo(whole(codec, body));
    }

    @Property(tries = 2000)
    void basicPartsEqualTheWhole(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 7) int part) {
        JsonpResponse codec = new JsonpResponse("cb".getBytes(StandardCharsets.US_ASCII), false);
        byte[] expected = body;
        if (body.length > 0 && body[body.length - 1] == '\n') {
            int cut = body.length > 1 && body[body.length - 2] == '\r' ? 2 : 1;
            expected = Arrays.copyOf(body, body.length - cut);
        }
        assertThat(inParts(codec, body, part)).isEqualTo(expected);
    }

    @Test
    void escapesAsQtDoesAndReplacesEachBadByte() {
        JsonpResponse codec = new JsonpResponse("cb".getBytes(StandardCharsets.US_ASCII), true);
        byte[] body = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0, 0x1F, 0x7F, (byte) 0xE2, (byte) 0x82, '|',
            (byte) 0xC0, (byte) 0x80, '|', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '|', (byte) 0xF4, (byte) 0x90,
            (byte) 0x80, (byte) 0x80, '|', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80};
        assertThat(new String(whole(codec, body), StandardCharsets.UTF_8)).isEqualTo(
                "\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\uFFFD\uFFFD|\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD|"
                        + "\uFFFD\uFFFD\uFFFD\uFFFD|\uD83D\uDE00");
    }
}
