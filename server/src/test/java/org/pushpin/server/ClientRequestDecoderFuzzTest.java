package org.pushpin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of the client request decoder (request head and chunked-body framing): valid requests
 * mutated byte by byte (inserted, deleted, replaced with CR, LF, NUL, space, DEL, non-ASCII, separators) and cut at
 * random points, fed in random-sized pieces. Whatever arrives, nothing is thrown past the decoder, what it emits can
 * be released (the leak detector, PARANOID in tests, checks after the class), and a request it passes on as good
 * has a target of visible ASCII only and an HTTP-name of exactly HTTP.
 */
class ClientRequestDecoderFuzzTest {
    private static final List<String> SEEDS = List.of(
            "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
            "GET http://h:8/p HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /next HTTP/1.1\r\nHost: y\r\n\r\n");

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 400),
                Arbitraries.of(0, (int) '\r', (int) '\n', (int) ' ', (int) '\t', 0x7f, 0xe9, (int) ':', (int) '0',
                        (int) 'f', (int) ',', (int) ';', (int) '-', (int) '"'))
                .as((kind, at, b) -> new int[] {kind, at, b});
        return Combinators.combine(Arbitraries.of(SEEDS), edit.list().ofMaxSize(6),
                Arbitraries.integers().between(0, 1000)).as((seed, edits, cut) -> {
                    StringBuilder b = new StringBuilder(seed);
                    for (int[] e : edits) {
                        int at = Math.min(e[1], b.length());
                        switch (e[0]) {
                            case 0 -> b.insert(at, (char) e[2]);
                            case 1 -> {
                                if (at < b.length()) {
                                    b.deleteCharAt(at);
                                }
                            }
                            case 2 -> {
                                if (at < b.length()) {
                                    b.setCharAt(at, (char) e[2]);
                                }
                            }
                            default -> b.insert(at, "\r\n");
                        }
                    }
                    // most inputs whole, some cut short at a random point
                    String out = cut < 800 ? b.toString() : b.substring(0, cut % Math.max(1, b.length()));
                    return out.getBytes(StandardCharsets.ISO_8859_1);
                });
    }

    @Provide
    Arbitrary<Integer> pieces() {
        return Arbitraries.integers().between(1, 64);
    }

    @Property(tries = 3000)
    void anyBytesAreDecodedOrRefusedNeverThrownPastTheDecoder(@ForAll("mutated") byte[] input,
                                                              @ForAll("pieces") int piece) {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientRequestDecoder(8192));
        try {
            for (int i = 0; i < input.length; i += piece) {
                ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(piece, input.length - i)));
            }
            Object msg;
            while ((msg = ch.readInbound()) != null) {
                try {
                    assertThat(msg).isInstanceOfAny(HttpRequest.class, HttpContent.class);
                    HttpObject o = (HttpObject) msg;
                    if (o instanceof HttpRequest r && o.decoderResult().isSuccess()) {
                        assertThat(r.uri().chars()).allMatch(c -> c > 0x20 && c < 0x7f);
                        assertThat(r.protocolVersion().protocolName()).isEqualTo("HTTP");
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
