package org.pushpin.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the origin's re-poll timings ({@code GET /repoll} on {@code org.pushpin.bench.memory.SseHoldOrigin}): how
 * long long-poll clients took from the end of an answer to their next request reaching the origin, through the
 * server under test. Each read returns what was recorded since the previous one.
 */
final class OriginRepolls {
    private final InetSocketAddress origin;

    OriginRepolls(InetSocketAddress origin) {
        this.origin = origin;
    }

    /** {@code count}, {@code p50_ms}, {@code p99_ms}, {@code max_ms} since the last read. */
    Map<String, Double> read() throws IOException {
        URL url = URI.create("http://" + origin.getHostString() + ":" + origin.getPort() + "/repoll").toURL();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        String text;
        try (InputStream in = c.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } finally {
            c.disconnect();
        }
        Map<String, Double> m = new HashMap<>();
        for (String word : text.trim().split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                m.put(word.substring(0, eq), Double.parseDouble(word.substring(eq + 1)));
            }
        }
        return m;
    }
}
