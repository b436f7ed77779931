package org.pushpin.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Accepts one HTTP(S) request, records its head and body, answers with a canned response. */
final class CaptureServer implements AutoCloseable {
    record Captured(String head, String body) {
    }

    private final ServerSocket socket;
    private final CompletableFuture<Captured> captured = new CompletableFuture<>();

    CaptureServer(int status, String reason, String body) throws IOException {
        this(status, reason, body, null);
    }

    /** @param tls the TLS server context, or null for plain HTTP */
    CaptureServer(int status, String reason, String body, javax.net.ssl.SSLContext tls) throws IOException {
        socket = tls == null ? new ServerSocket(0, 5, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> serve(status, reason, body), "capture-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    Captured request() throws Exception {
        return captured.get(10, TimeUnit.SECONDS);
    }

    private void serve(int status, String reason, String body) {
        try (Socket s = socket.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("eof in head");
                }
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] content = in.readNBytes(length);
            captured.complete(new Captured(h, new String(content, StandardCharsets.UTF_8)));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\n"
                    + "Connection: close\r\nContent-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(b);
        } catch (IOException e) {
            captured.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
