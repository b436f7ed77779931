package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;

/**
 * The control API's size limits from pushpin.conf, as a publisher sees them: {@code push_in_http_max_headers_size}
 * (the name Pushpin reads from 1.41 on) and 1.36's {@code push_in_max_body_size} spelling.
 */
class ControlLimitsConfigTest {
    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .handler("push_in_http_max_headers_size", "300")
            .handler("push_in_max_body_size", "60")
            .routes("* test")
            .build();

    @Test
    void oversizeBodyAndHeadAreRefused() throws Exception {
        String small = "{\"items\":[{\"channel\":\"a\",\"http-stream\":{\"content\":\"x\"}}]}";
        assertThat(small.length()).isLessThanOrEqualTo(60);
        assertThat(post(small, "")).startsWith("HTTP/1.1 200 ").endsWith("Published\n");

        String big = "{\"items\":[{\"channel\":\"a\",\"http-stream\":{\"content\":\"" + "x".repeat(40) + "\"}}]}";
        assertThat(post(big, "")).startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\nRequest body too large.\n");

        assertThat(post(small, "X-Pad: " + "p".repeat(300) + "\r\n"))
                .startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\nRequest header too large.\n");
    }

    private static String post(String body, String extraHeaders) throws Exception {
        InetSocketAddress a = pushpin.controlAddress();
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /publish/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n" + extraHeaders + "\r\n";
            OutputStream out = s.getOutputStream();
            // one write: the server reads the whole request before refusing it, so its close is a FIN, not a reset
            // that could discard the answer on its way (two writes could leave the body unread at the close)
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = java.util.Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, all, h.length, b.length);
            out.write(all);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
