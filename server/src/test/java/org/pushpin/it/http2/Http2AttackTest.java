package org.pushpin.it.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Await;
import org.pushpin.testing.H2Client;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.TestOrigin;

/**
 * HTTP/2-specific attacks from a raw client (docs/http2.md#limits): each is refused (GOAWAY, or the stream reset),
 * nothing of it reaches the origin that should not, and a well-behaved client is served right after.
 */
@Timeout(60)
class Http2AttackTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final int MAX_STREAMS = 4;

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .runner("http2", "true")
            .httpPorts("127.0.0.1:0")
            .controlApi()
            .runner("http2_max_concurrent_streams", String.valueOf(MAX_STREAMS))
            .routes("* " + origin.target())
            .build();

    /** A well-behaved client on a fresh connection gets its answer. */
    static void assertServed() throws Exception {
        origin.on("/ok", Reply.ok("fine"));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.get(1, "/ok", "example.test");
            c.readUntil(f -> f.stream() == 1 && f.endStream());
            assertThat(c.body(1)).isEqualTo("fine");
        }
    }

    static H2Client.Frame goAway(List<H2Client.Frame> frames) {
        return frames.stream().filter(f -> f.type() == Http2FrameTypes.GO_AWAY).findFirst()
                .orElseThrow(() -> new AssertionError("no GOAWAY in " + frames));
    }

    @Test
    void rapidResetClosesTheConnection() throws Exception {
        origin.on("/rapid", Reply.stall());
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            // HEADERS then RST_STREAM, 1000 times: far past 200 resets per 30 s (CVE-2023-44487)
            byte[] block = hpackGet("/rapid");
            for (int i = 0; i < 1000; i++) {
                int stream = 1 + 2 * i;
                burst.writeBytes(H2Client.frame(Http2FrameTypes.HEADERS,
                        Http2Flags.END_HEADERS | Http2Flags.END_STREAM, stream, block));
                burst.writeBytes(H2Client.frame(Http2FrameTypes.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}));
            }
            H2Client.Frame goAway = goAway(c.floodUntilClosed(burst.toByteArray()));
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
        }
        assertThat(origin.requestsTo("/rapid").size()).isLessThan(1000);
        assertServed();
    }

    @Test
    void continuationFloodClosesTheConnection() throws Exception {
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.raw(H2Client.frame(Http2FrameTypes.HEADERS, Http2Flags.END_STREAM, 1, hpackGet("/flood")));
            // header fields that never end: CONTINUATION frames without END_HEADERS, each a 1 KiB literal field
            byte[] field = literal("x-flood", "a".repeat(1000));
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                flood.writeBytes(H2Client.frame(Http2FrameTypes.CONTINUATION, 0, 1, field));
            }
            // the header list passed its limit: a protocol error (Netty's decoder)
            assertThat(goAway(c.floodUntilClosed(flood.toByteArray())).errorCode())
                    .isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        }
        assertThat(origin.requestsTo("/flood")).isEmpty();
        assertServed();
    }

    @Test
    void emptyContinuationFramesCloseTheConnection() throws Exception {
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.raw(H2Client.frame(Http2FrameTypes.HEADERS, Http2Flags.END_STREAM, 1, hpackGet("/empty")));
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                flood.writeBytes(H2Client.frame(Http2FrameTypes.CONTINUATION, 0, 1, new byte[0]));
            }
            assertThat(goAway(c.floodUntilClosed(flood.toByteArray())).errorCode())
                    .isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
        }
        assertThat(origin.requestsTo("/empty")).isEmpty();
        assertServed();
    }

    @Test
    void hpackBombIsRefused() throws Exception {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(hpackGet("/bomb"));
        // one 4000-byte field into the dynamic table, then 2000 one-byte references to it: 8 MB decoded
        block.write(0x40);
        block.writeBytes(string("x-bomb"));
        block.writeBytes(string("b".repeat(4000)));
        for (int i = 0; i < 2000; i++) {
            block.write(0x80 | 62);
        }
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.raw(H2Client.frame(Http2FrameTypes.HEADERS, Http2Flags.END_HEADERS | Http2Flags.END_STREAM, 1,
                    block.toByteArray()));
            // the decoded list stops counting at client_buffer_size: the stream is answered 431, then reset
            H2Client.Frame refusal = c.readUntil(f -> f.type() == Http2FrameTypes.GO_AWAY
                    || f.type() == Http2FrameTypes.RST_STREAM
                    || (f.type() == Http2FrameTypes.HEADERS && f.stream() == 1));
            assertThat(refusal.type()).isEqualTo(Http2FrameTypes.HEADERS);
            assertThat(refusal.headers().status().toString()).isEqualTo("431");
            // the connection itself goes on
            origin.on("/after-bomb", Reply.ok("served"));
            c.get(3, "/after-bomb", "example.test");
            c.readUntil(f -> f.stream() == 3 && f.endStream());
            assertThat(c.body(3)).isEqualTo("served");
        }
        assertThat(origin.requestsTo("/bomb")).isEmpty();
        assertServed();
    }

    @Test
    void streamsOverTheLimitAreRefused() throws Exception {
        origin.on("/held", Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "stream")
                .header("Grip-Channel", "h2-limit").body("open\n"));
        try (H2Client c = H2Client.connect(pushpin.httpPort()).start()) {
            c.readUntil(f -> f.type() == Http2FrameTypes.SETTINGS && (f.flags() & Http2Flags.ACK) != 0);
            for (int i = 0; i < MAX_STREAMS + 1; i++) {
                c.get(1 + 2 * i, "/held", "example.test");
            }
            int over = 1 + 2 * MAX_STREAMS;
            H2Client.Frame reset = c.readUntil(f -> f.type() == Http2FrameTypes.RST_STREAM && f.stream() == over);
            assertThat(reset.errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
            Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-limit") == MAX_STREAMS,
                    "the streams within the limit are held");
        }
        Await.until(WAIT, () -> pushpin.server().hub().subscriberCount("h2-limit") == 0, "all let go on close");
        assertServed();
    }

    /** An HPACK block for {@code GET path} (static-table entries, a literal :authority). */
    static byte[] hpackGet(String path) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82); // :method GET
        b.write(0x86); // :scheme http
        b.write(0x04); // :path, literal without indexing (name index 4)
        b.writeBytes(string(path));
        b.write(0x01); // :authority, literal without indexing (name index 1)
        b.writeBytes(string("example.test"));
        return b.toByteArray();
    }

    /** A literal field without indexing, new name. */
    static byte[] literal(String name, String value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x00);
        b.writeBytes(string(name));
        b.writeBytes(string(value));
        return b.toByteArray();
    }

    /** An HPACK string literal, not Huffman-coded: a 7-bit-prefix length, then the bytes. */
    static byte[] string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = bytes.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.writeBytes(bytes);
        return b.toByteArray();
    }
}
