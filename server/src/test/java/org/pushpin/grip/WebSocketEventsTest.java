package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.grip.WebSocketEvent.Type;

class WebSocketEventsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Renders events as {@code TYPE} or {@code TYPE=content} joined by {@code |}. */
    private static String render(List<WebSocketEvent> events) {
        List<String> out = new ArrayList<>();
        for (WebSocketEvent e : events) {
            out.add(e.content() == null ? e.type()
                    : e.type() + "=" + new String(e.content(), StandardCharsets.ISO_8859_1));
        }
        return String.join("|", out);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "OPEN\\r\\n                                  ~ OPEN",
        "OPEN\\r\\nTEXT 5\\r\\nhello\\r\\n           ~ OPEN|TEXT=hello",
        "TEXT 0\\r\\n\\r\\n                           ~ TEXT=",
        "TEXT 0\\r\\n                                 ~ TEXT=",
        "TEXT 5\\r\\nhello                           ~ TEXT=hello",
        "BINARY a\\r\\n0123456789\\r\\n               ~ BINARY=0123456789",
        "BINARY A\\r\\n0123456789\\r\\n               ~ BINARY=0123456789",
        "TEXT 4\\r\\na\\r\\nb\\r\\nPING\\r\\n          ~ TEXT=a\\r\\nb|PING",
        "PONG 2\\r\\nhi\\r\\nCLOSE\\r\\n              ~ PONG=hi|CLOSE",
        "DISCONNECT\\r\\n                            ~ DISCONNECT",
        "open\\r\\nFOO 1\\r\\nx\\r\\n                 ~ open|FOO=x",
        "\\r\\n                                      ~ ''",
        "''                                          ~ ''",
    })
    void decodesTheWireFormat(String wire, String expected) throws Exception {
        byte[] in = bytes(wire.replace("\\r", "\r").replace("\\n", "\n"));
        assertThat(render(WebSocketEvents.decode(in))).isEqualTo(expected.replace("\\r", "\r").replace("\\n", "\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "OPEN                              ~ event 1: no CRLF after the type line",
        "OPEN\\r\\nTEXT                    ~ event 2: no CRLF after the type line",
        "TEXT 5\\r\\nhel                   ~ event 1: TEXT announces 5 bytes of content, 3 follow",
        "TEXT zz\\r\\nhello\\r\\n          ~ event 1: bad content length \"zz\"",
        "TEXT \\r\\n\\r\\n                 ~ event 1: bad content length \"\"",
        "TEXT -1\\r\\n\\r\\n               ~ event 1: bad content length \"-1\"",
        "TEXT 0x5\\r\\nhello\\r\\n         ~ event 1: bad content length \"0x5\"",
        "TEXT 5 \\r\\nhello\\r\\n          ~ event 1: bad content length \"5 \"",
        "TEXT 123456789\\r\\n              ~ event 1: bad content length \"123456789\"",
        "TEXT ffffffff\\r\\n               ~ event 1: content length 4294967295 too large",
        "TEXT 7fffffff\\r\\nx              ~ event 1: TEXT announces 2147483647 bytes of content, 1 follow",
        "TEXT 2\\r\\nhiXXOPEN\\r\\n        ~ event 1: no CRLF after the content of TEXT",
        "TEXT 2\\r\\nhi\\r                 ~ event 1: no CRLF after the content of TEXT",
    })
    void refusesMalformedBodiesWithAClearMessage(String wire, String message) {
        byte[] in = bytes(wire.replace("\\r", "\r").replace("\\n", "\n"));
        assertThatThrownBy(() -> WebSocketEvents.decode(in))
                .isInstanceOf(WebSocketEventsException.class)
                .hasMessage("bad websocket-events body at " + message);
    }

    @Test
    void encodesContentLengthsInLowerCaseHexAndEventsWithoutContentBare() {
        byte[] body = WebSocketEvents.encode(List.of(
                WebSocketEvent.of(Type.OPEN),
                WebSocketEvent.of(Type.TEXT, bytes("0123456789ab")),
                WebSocketEvent.of(Type.PING),
                WebSocketEvent.close(1000, "bye")));
        assertThat(new String(body, StandardCharsets.ISO_8859_1))
                .isEqualTo("OPEN\r\nTEXT c\r\n0123456789ab\r\nPING\r\nCLOSE 5\r\n\u0003\u00e8bye\r\n");
    }

    @Test
    void closeCarriesCodeAndUtf8Reason() throws Exception {
        byte[] body = WebSocketEvents.encode(List.of(WebSocketEvent.close(4001, "é")));
        WebSocketEvent e = WebSocketEvents.decode(body).get(0);
        assertThat(e.known()).isEqualTo(Type.CLOSE);
        assertThat(e.closeCode()).isEqualTo(4001);
        assertThat(e.closeReason()).isEqualTo("é");
        assertThat(WebSocketEvent.of(Type.CLOSE).closeCode()).isEqualTo(-1);
        assertThat(WebSocketEvent.of(Type.CLOSE, new byte[] {3}).closeCode()).isEqualTo(-1);
    }

    @Test
    void decodesASliceOfAnArray() throws Exception {
        byte[] in = bytes("xxOPEN\r\nyy");
        assertThat(render(WebSocketEvents.decode(in, 2, 6))).isEqualTo("OPEN");
        assertThatThrownBy(() -> WebSocketEvents.decode(in, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void typesThatCannotBeWrittenAreRefused() {
        assertThatThrownBy(() -> new WebSocketEvent("A B", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSocketEvent("A\r\nB", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSocketEvent("\u0100", null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- properties -------------------------------------------------------------------------------------------

    @Property(tries = 500)
    void whatIsEncodedDecodesToTheSameEvents(@ForAll("eventLists") List<WebSocketEvent> events) throws Exception {
        byte[] body = WebSocketEvents.encode(events);
        assertThat(body.length).isEqualTo(events.stream().mapToInt(WebSocketEvents::encodedSize).sum());
        assertThat(WebSocketEvents.decode(body)).isEqualTo(events);
    }

    @Property(tries = 1000)
    void anyBytesDecodeOrFailWithTheOwnException(@ForAll("wireLike") byte[] in) {
        try {
            List<WebSocketEvent> events = WebSocketEvents.decode(in);
            // What decodes encodes again to something that decodes to the same events.
            assertThat(WebSocketEvents.decode(WebSocketEvents.encode(events))).isEqualTo(events);
        } catch (WebSocketEventsException e) {
            assertThat(e.getMessage()).startsWith("bad websocket-events body at event ");
        }
    }

    @Property(tries = 300)
    void aTruncatedBodyFailsOrDecodesAPrefix(@ForAll("eventLists") List<WebSocketEvent> events,
                                             @ForAll("fractions") double cut) {
        byte[] body = WebSocketEvents.encode(events);
        int len = (int) (body.length * cut);
        try {
            List<WebSocketEvent> got = WebSocketEvents.decode(body, 0, len);
            assertThat(got.size()).isLessThanOrEqualTo(events.size());
            // Every event but a last one cut inside its content comes out whole.
            for (int i = 0; i + 1 < got.size(); i++) {
                assertThat(got.get(i)).isEqualTo(events.get(i));
            }
        } catch (WebSocketEventsException e) {
            assertThat(e.getMessage()).startsWith("bad websocket-events body at event ");
        }
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<List<WebSocketEvent>> eventLists() {
        Arbitrary<String> known = Arbitraries.of(Type.class).map(Enum::name);
        Arbitrary<String> odd = Arbitraries.strings().withCharRange('!', '~').ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> type = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, known), net.jqwik.api.Tuple.of(1, odd));
        Arbitrary<byte[]> content = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.3);
        return Combinators.combine(type, content).as(WebSocketEvent::new).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<byte[]> wireLike() {
        // Mostly bytes of the format's own alphabet, so the fuzz reaches past the first line.
        byte[] alphabet = "\r\n 0123456789abcdefTEXTOPEN".getBytes(StandardCharsets.US_ASCII);
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, alphabet.length - 1).map(i -> alphabet[i])),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes()));
        return b.list().ofMaxSize(64).map(l -> {
            byte[] out = new byte[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = l.get(i);
            }
            return out;
        });
    }
}
