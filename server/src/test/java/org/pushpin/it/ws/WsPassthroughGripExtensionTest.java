package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.proxy.WsGripExtension;
import org.pushpin.proxy.WsGripExtension.Kind;

/**
 * The origin's {@code Sec-WebSocket-Extensions} as passthrough reads it ({@link WsGripExtension}), malformed values
 * included, and how origin messages are sorted.
 */
class WsPassthroughGripExtensionTest {
    private static Kind classify(WsGripExtension ext, String content, boolean text) {
        ByteBuf b = Unpooled.copiedBuffer(content, StandardCharsets.UTF_8);
        try {
            Kind k = ext.classify(b, text);
            assertThat(b.readerIndex()).as("classify reads without consuming").isZero();
            return k;
        } finally {
            b.release();
        }
    }

    /** header value | the prefix found ("-" for no extension) */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "grip | m:",
        "GRIP | m:",
        "  grip  | m:",
        "permessage-deflate, grip | m:",
        "grip; message-prefix=\"out:\" | out:",
        "grip; message-prefix=out: | out:",
        "grip;message-prefix=\"\" | ''",
        "grip; message-prefix= | ''",
        "grip; message-prefix | m:",
        "grip; other=1; message-prefix=\"x\" | x",
        "grip; message-prefix=\"unterminated | \"unterminated",
        "gripx | -",
        "permessage-deflate | -",
        "'' | -",
        "; | -",
        ", , | -",
    })
    void headerValues(String header, String prefix) {
        WsGripExtension ext = WsGripExtension.fromHeaders(List.of(header == null ? "" : header));
        if ("-".equals(prefix)) {
            assertThat(ext).isNull();
        } else {
            String p = prefix == null ? "" : prefix;
            assertThat(ext).isNotNull();
            assertThat(ext.messagePrefixLength()).isEqualTo(p.getBytes(StandardCharsets.UTF_8).length);
            assertThat(classify(ext, p + "x", true)).isEqualTo(Kind.MESSAGE);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "c:{} | true | CONTROL",
        "c: | true | CONTROL",
        "c:{} | false | DROPPED",
        "m:hi | true | MESSAGE",
        "m:hi | false | MESSAGE",
        "m: | true | MESSAGE",
        "m | true | DROPPED",
        "hi | true | DROPPED",
        "M:hi | true | DROPPED",
    })
    void sortingWithTheDefaultPrefix(String content, boolean text, Kind kind) {
        assertThat(classify(WsGripExtension.fromHeaders(List.of("grip")), content, text)).isEqualTo(kind);
    }

    @Property(tries = 500)
    void anyHeaderValueParsesOrIsNoExtension(@ForAll @StringLength(max = 80) String header) {
        WsGripExtension ext = WsGripExtension.fromHeaders(List.of(header));
        if (ext != null) {
            assertThat(ext.messagePrefixLength()).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 500)
    void aQuotedPrefixIsTheOneStrippedAndControlStaysControl(
            @ForAll @StringLength(min = 1, max = 12) @CharRange(from = '!', to = '~') String prefix,
            @ForAll @StringLength(max = 40) String body) {
        if (prefix.contains("\"") || prefix.contains(",") || prefix.contains(";") || prefix.startsWith("c:")) {
            return;
        }
        WsGripExtension ext = WsGripExtension.fromHeaders(List.of("grip; message-prefix=\"" + prefix + "\""));
        assertThat(ext.messagePrefixLength()).isEqualTo(prefix.length());
        assertThat(classify(ext, prefix + body, false)).isEqualTo(Kind.MESSAGE);
        assertThat(classify(ext, "c:" + body, true)).isEqualTo(Kind.CONTROL);
        if (!body.startsWith(prefix) && !body.startsWith("c:")) {
            assertThat(classify(ext, body, true)).isEqualTo(Kind.DROPPED);
        }
    }
}
