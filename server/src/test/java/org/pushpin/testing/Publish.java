package org.pushpin.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes to a server's HTTP control API ({@code POST /publish}, docs/publishing.md#http-control-api) with the JDK
 * HttpClient. Items are built with {@link #item(String)}; {@link #publish} fails the test unless the server answers
 * 200.
 */
public final class Publish {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final int port;

    private Publish(int port) {
        this.port = port;
    }

    public static Publish to(int controlPort) {
        return new Publish(controlPort);
    }

    public int port() {
        return port;
    }

    /** POSTs {@code body} to {@code path} as JSON and returns the answer, whatever its status. */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** {@code POST /publish} of {@code {"items": [...]}}; the answer, whatever its status. */
    public HttpResponse<String> send(Item... items) throws IOException, InterruptedException {
        List<String> json = new ArrayList<>();
        for (Item i : items) {
            json.add(i.json());
        }
        return post("/publish", "{\"items\": [" + String.join(", ", json) + "]}");
    }

    /** Publishes and asserts {@code 200 Published}. */
    public void publish(Item... items) throws IOException, InterruptedException {
        HttpResponse<String> r = send(items);
        if (r.statusCode() != 200) {
            throw new AssertionError("publish answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** One {@code http-stream} item with {@code content} on {@code channel}. */
    public void stream(String channel, String content) throws IOException, InterruptedException {
        publish(item(channel).stream(content));
    }

    /** One {@code http-stream} close item on {@code channel}. */
    public void closeStreams(String channel) throws IOException, InterruptedException {
        publish(item(channel).streamClose());
    }

    public static Item item(String channel) {
        return new Item(channel);
    }

    /** A publish item, rendered as JSON (docs/publishing.md#publish-items). */
    public static final class Item {
        private final String channel;
        private String id;
        private String prevId;
        private Boolean noSeq;
        private final Map<String, String> meta = new LinkedHashMap<>();
        private final Map<String, String> formats = new LinkedHashMap<>();

        private Item(String channel) {
            this.channel = channel;
        }

        public Item id(String v) {
            id = v;
            return this;
        }

        public Item prevId(String v) {
            prevId = v;
            return this;
        }

        public Item noSeq() {
            noSeq = true;
            return this;
        }

        public Item meta(String name, String value) {
            meta.put(name, value);
            return this;
        }

        /** {@code http-stream} with {@code content}. */
        public Item stream(String content) {
            return format("http-stream", "{\"content\": " + quote(content) + "}");
        }

        /** {@code http-stream} with {@code content-bin}. */
        public Item streamBin(byte[] content) {
            return format("http-stream", "{\"content-bin\": " + quote(Base64.getEncoder().encodeToString(content))
                    + "}");
        }

        public Item streamClose() {
            return format("http-stream", "{\"action\": \"close\"}");
        }

        /** {@code http-response} with just a body (code 200). */
        public Item response(String body) {
            return format("http-response", "{\"body\": " + quote(body) + "}");
        }

        /** {@code http-response} given as raw JSON object text, e.g. {@code {"code": 404, "body": "x"}}. */
        public Item responseJson(String formatJson) {
            return format("http-response", formatJson);
        }

        /** Any format by name, as raw JSON object text. */
        public Item format(String name, String formatJson) {
            formats.put(name, formatJson);
            return this;
        }

        public String json() {
            StringBuilder sb = new StringBuilder("{\"channel\": ").append(quote(channel));
            if (id != null) {
                sb.append(", \"id\": ").append(quote(id));
            }
            if (prevId != null) {
                sb.append(", \"prev-id\": ").append(quote(prevId));
            }
            if (noSeq != null) {
                sb.append(", \"no-seq\": ").append(noSeq);
            }
            if (!meta.isEmpty()) {
                List<String> m = new ArrayList<>();
                meta.forEach((k, v) -> m.add(quote(k) + ": " + quote(v)));
                sb.append(", \"meta\": {").append(String.join(", ", m)).append('}');
            }
            List<String> f = new ArrayList<>();
            formats.forEach((k, v) -> f.add(quote(k) + ": " + v));
            sb.append(", \"formats\": {").append(String.join(", ", f)).append("}}");
            return sb.toString();
        }

        @Override
        public String toString() {
            return json();
        }
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
