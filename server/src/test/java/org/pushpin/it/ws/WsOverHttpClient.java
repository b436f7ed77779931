package org.pushpin.it.ws;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A test client ({@link WsTestClient}, Netty's handshaker, nothing answered by itself) seen message by message:
 * whole text and binary messages as {@code "text:..."} / {@code "binary:<hex>"}, pings and pongs as
 * {@code "ping:..."} / {@code "pong:..."}.
 */
final class WsOverHttpClient implements AutoCloseable {
    final WsTestClient client;

    private WsOverHttpClient(WsTestClient client) {
        this.client = client;
    }

    static WsOverHttpClient connect(int port, String path) throws Exception {
        return new WsOverHttpClient(WsTestClient.connect(port, path));
    }

    void text(String s) {
        client.peer.send(new TextWebSocketFrame(s));
    }

    void binary(byte[] b) {
        client.peer.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b)));
    }

    /** A text message in fragments. */
    void fragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            var data = Unpooled.copiedBuffer(parts[i], StandardCharsets.UTF_8);
            boolean fin = i == parts.length - 1;
            client.peer.send(i == 0 ? new TextWebSocketFrame(fin, 0, data) : new ContinuationWebSocketFrame(fin, 0, data));
        }
    }

    void ping(String s) {
        client.peer.send(new PingWebSocketFrame(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)));
    }

    void pong(String s) {
        client.peer.send(new PongWebSocketFrame(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)));
    }

    void close(int code, String reason) {
        client.peer.send(new CloseWebSocketFrame(code, reason));
    }

    /** The next message; fails on a close frame or after 10 s. */
    String next() throws InterruptedException {
        WsFrame f = client.peer.next();
        switch (f.type()) {
            case "ping", "pong" -> {
                return f.type() + ":" + f.text();
            }
            case "text", "binary" -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.writeBytes(f.data());
                WsFrame part = f;
                while (!part.fin()) {
                    part = client.peer.next();
                    if (!part.type().equals("continuation")) {
                        throw new AssertionError("expected a continuation, got " + part);
                    }
                    all.writeBytes(part.data());
                }
                byte[] b = all.toByteArray();
                return f.type().equals("text") ? "text:" + new String(b, StandardCharsets.UTF_8) : "binary:" + hex(b);
            }
            default -> throw new AssertionError("expected a message, got " + f);
        }
    }

    /**
     * How the connection ended: {@code "close:<code>:<reason>"} for a close frame, {@code "dropped"} when it closed
     * without one. Messages before the end are skipped.
     */
    String awaitEnd() throws Exception {
        while (true) {
            WsFrame f = client.peer.poll(200);
            if (f != null && f.type().equals("close")) {
                return "close:" + f.code() + ":" + f.reason();
            }
            if (f == null && client.peer.closed.isDone()) {
                return "dropped";
            }
            if (f == null && !client.channel.isActive()) {
                client.peer.awaitClosed();
            }
        }
    }

    /** Goes away without a close handshake. */
    void vanish() {
        client.channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        client.close();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
