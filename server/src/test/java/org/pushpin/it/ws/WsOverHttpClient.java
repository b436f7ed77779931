package org.pushpin.it.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link WebSocket} client that records what it receives: whole text and binary messages (as
 * {@code "text:..."} / {@code "binary:<hex>"}), pings ({@code "ping:..."}), and the close or the error that ended
 * it. The JDK answers pings with pongs by itself.
 */
final class WsOverHttpClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final WebSocket ws;
    final BlockingQueue<String> received;
    final CompletableFuture<String> ended;

    private WsOverHttpClient(WebSocket ws, Recorder r) {
        this.ws = ws;
        this.received = r.received;
        this.ended = r.ended;
    }

    static WsOverHttpClient connect(int port, String path, Map<String, String> headers) throws Exception {
        Recorder r = new Recorder();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        WebSocket ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + path), r)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new WsOverHttpClient(ws, r);
    }

    static WsOverHttpClient connect(int port, String path) throws Exception {
        return connect(port, path, Map.of());
    }

    /** The next message received, or a failure after {@link #WAIT}. */
    String next() throws InterruptedException {
        String m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + WAIT + "; ended: " + ended.getNow("no"));
        }
        return m;
    }

    /** How it ended: {@code "close:<code>:<reason>"} or {@code "error:<exception>"}. */
    String awaitEnd() throws Exception {
        return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ws.abort();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add("text:" + text);
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                received.add("binary:" + hex(binary.toByteArray()));
                binary.reset();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            received.add("ping:" + new String(b, java.nio.charset.StandardCharsets.UTF_8));
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            ended.complete("close:" + code + ":" + reason);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            ended.complete("error:" + error);
        }
    }
}
