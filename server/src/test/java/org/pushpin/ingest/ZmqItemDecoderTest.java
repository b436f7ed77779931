package org.pushpin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishItem;
import org.pushpin.tnet.TnetString;

class ZmqItemDecoderTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void jsonTnetstringAndBareTnetstringGiveTheSameItem() throws Exception {
        byte[] tnet = TnetString.encode(Map.of("channel", "c", "id", "1",
                "formats", Map.of("http-stream", Map.of("content", "hi\n"))));
        PublishItem fromJson = ZmqItemDecoder.decode(
                b("J{\"channel\":\"c\",\"id\":\"1\",\"formats\":{\"http-stream\":{\"content\":\"hi\\n\"}}}"), null);
        PublishItem fromT = ZmqItemDecoder.decode(concat(b("T"), tnet), null);
        PublishItem bare = ZmqItemDecoder.decode(tnet, null);
        for (PublishItem i : new PublishItem[] {fromJson, fromT, bare}) {
            assertThat(i.channel()).isEqualTo("c");
            assertThat(i.id()).isEqualTo("1");
            assertThat(new String(i.httpStream().content(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
        }
    }

    @Test
    void theSubSocketsChannelWinsAndBinaryContentStaysBytes() throws Exception {
        byte[] raw = {0, (byte) 0xff, 1};
        PublishItem i = ZmqItemDecoder.decode(TnetString.encode(Map.of("channel", "mine",
                "formats", Map.of("http-stream", Map.of("content", raw)))), "theirs");
        assertThat(i.channel()).isEqualTo("theirs");
        assertThat(i.httpStream().content()).containsExactly(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "J", "Jnull", "J[1]", "J{", "T", "T5:abc,", "garbage", "0:~", "4:1:x,]",
            "8:1:a,1:b,}", "T13:7:channel,1:c,}"})
    void malformedPartsAreFormatErrors(String part) {
        assertThatThrownBy(() -> ZmqItemDecoder.decode(b(part), null)).isInstanceOf(PublishFormatException.class)
                .hasMessageMatching("(Invalid format|Body is not valid JSON).*");
    }

    @Property(tries = 3000)
    void anyBytesGiveAnItemOrAFormatError(@ForAll byte[] part) {
        try {
            ZmqItemDecoder.decode(part, null);
        } catch (PublishFormatException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
