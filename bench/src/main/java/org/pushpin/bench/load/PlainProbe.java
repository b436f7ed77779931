package org.pushpin.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The latency of a plain proxied request: {@code GET /plain} through the server on a new connection each time
 * (connect, request, whole response until the server closes), as a fresh visitor would see it.
 */
final class PlainProbe {
    private static final byte[] REQUEST =
            "GET /plain HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private int errors;

    PlainProbe(InetSocketAddress target) {
        this.target = target;
    }

    /** {@code count} requests one after another; failures are counted in {@link #errors()}, not recorded. */
    LatencyHistogram sample(int count) {
        LatencyHistogram h = new LatencyHistogram();
        byte[] buf = new byte[4096];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                s.connect(target, 10_000);
                s.getOutputStream().write(REQUEST);
                InputStream in = s.getInputStream();
                int n = in.read(buf);
                if (n < 12 || !new String(buf, 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    errors++;
                    continue;
                }
                while (in.read(buf) >= 0) {
                    // the response ends where the server closes
                }
                h.recordNanos(System.nanoTime() - t0);
            } catch (IOException e) {
                errors++;
            }
        }
        return h;
    }

    int errors() {
        return errors;
    }
}
