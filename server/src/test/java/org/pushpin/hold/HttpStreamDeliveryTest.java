package org.pushpin.hold;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pushpin.message.Action;
import org.pushpin.message.HttpResponseFormat;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;

class HttpStreamDeliveryTest {
    private static PublishItem stream(byte[] content) {
        return new PublishItem("c", null, null, Map.of(), false, -1, null,
                new HttpStreamFormat(Action.SEND, content, List.of()), null);
    }

    @Test
    void encodesStreamContentInBothFramingsAsSharedReadOnlyDirectBytes() {
        HttpStreamBytes bytes = HttpStreamDelivery.INSTANCE.encode(stream("data 1\n".getBytes(UTF_8)));
        ByteBuf buf = bytes.content();
        assertThat(buf.isReadOnly()).isTrue();
        assertThat(buf.isDirect()).isTrue();
        assertThat(bytes.chunk().toString(UTF_8)).isEqualTo("7\r\ndata 1\n\r\n");
        // Receivers write retained duplicates and release them; the shared buffer lives on.
        ByteBuf dup = buf.retainedDuplicate();
        dup.skipBytes(2);
        dup.release();
        assertThat(buf.release()).isFalse();
        assertThat(buf.toString(UTF_8)).isEqualTo("data 1\n");
    }

    @Test
    void chunkSizeIsHex() {
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'x');
        HttpStreamBytes bytes = HttpStreamDelivery.INSTANCE.encode(stream(big));
        assertThat(bytes.content().readableBytes()).isEqualTo(300);
        assertThat(bytes.chunk().toString(UTF_8)).isEqualTo("12c\r\n" + "x".repeat(300) + "\r\n");
    }

    @Test
    void nothingForItemsWithoutStreamContent() {
        PublishItem responseOnly = new PublishItem("c", null, null, Map.of(), false, -1,
                new HttpResponseFormat(Action.SEND, 200, null, List.of(), "hello\n".getBytes(UTF_8), null, List.of()),
                new HttpStreamFormat(Action.CLOSE, null, List.of()), null);
        assertThat(HttpStreamDelivery.INSTANCE.encode(responseOnly)).isNull();
        assertThat(HttpStreamDelivery.INSTANCE.encode(stream(new byte[0]))).isNull();
    }
}
