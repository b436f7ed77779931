package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket (the JDK's own client) on the {@code test} target's {@code /ws?channel=...}: subscribed to that
 * channel, so a published {@code ws-message} shows up here. How the ZeroMQ tests see a delivery.
 */
final class TestTargetSocket implements AutoCloseable {
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    TestTargetSocket(int port, String channel) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?channel=" + channel), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** The next message, waiting up to 10 s. */
    String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a message within 10 s").isNotNull();
        return m;
    }

    /** The next message within {@code millis}, or null. */
    String poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
