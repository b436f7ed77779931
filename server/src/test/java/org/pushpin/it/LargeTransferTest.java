package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Bytes;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * 1 GiB up and 1 GiB down through a server whose heap is 96 MiB (and whose direct memory Netty bounds by the
 * same figure): bodies must be streamed with backpressure, never held (behaviours.md §3, "no size limit").
 * The server runs in a child JVM ({@code org.pushpin.cli.PushpinMain --config}); client and origin generate and
 * check the bytes on the fly (count and CRC32), holding none of them.
 */
@Tag("large")
@Timeout(180)
class LargeTransferTest {
    static final long GIB = 1L << 30;

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .inChildJvm("-Xmx96m", "-XX:+ExitOnOutOfMemoryError",
                    "-Dio.netty.leakDetection.level=" + System.getProperty("pushpin.it.childLeakLevel", "paranoid"))
            .routes("* " + origin.target())
            .build();

    @Test
    void oneGibUploadIsStreamedToTheOrigin() throws Exception {
        origin.onStream("/large/up", (head, body) -> {
            Bytes.Count got = Bytes.drain(body);
            return Reply.ok(got.bytes() + " " + got.crc());
        });
        long expectedCrc = Bytes.patternCrc(GIB);

        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.post("/large/up").header("Content-Type", "application/octet-stream")
                    .header("Content-Length", Long.toString(GIB)).head());
            OutputStream out = c.output();
            long sentCrc = Bytes.writePattern(out, GIB);
            assertThat(sentCrc).isEqualTo(expectedCrc);

            RawResponse resp = c.read();
            assertThat(resp.status()).as("%s\nserver log:\n%s", resp, pushpin.log()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo(GIB + " " + expectedCrc);
        }
        OriginRequest seen = origin.awaitRequest("/large/up");
        assertThat(seen.header("Content-Length").or(() -> seen.header("Transfer-Encoding"))).isPresent();
    }

    @Test
    void oneGibDownloadIsStreamedToTheClient() throws Exception {
        origin.on("/large/down", r -> Reply.status(200).header("Content-Type", "application/octet-stream")
                .streamed(GIB, out -> Bytes.writePattern(out, GIB)));

        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/large/down"));
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            InputStream body = c.body(head, "GET");
            Bytes.Count got = Bytes.drain(body);

            assertThat(got.bytes()).isEqualTo(GIB);
            assertThat(got.crc()).isEqualTo(Bytes.patternCrc(GIB));
            // the connection is still good for another request
            assertThat(c.exchange(Req.get("/large/after")).status()).isEqualTo(200);
        }
    }
}
