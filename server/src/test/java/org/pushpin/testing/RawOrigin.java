package org.pushpin.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving origin on a plain {@link ServerSocket}: for each connection it reads the request head, writes a
 * fixed byte script, then closes the connection or holds it open forever.
 */
public final class RawOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] script;
    private final boolean closeAfter;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    private RawOrigin(byte[] script, boolean closeAfter) {
        this.script = script;
        this.closeAfter = closeAfter;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::acceptLoop, "raw-origin");
        t.setDaemon(true);
        t.start();
    }

    /** Writes {@code bytes} after the request head, then closes the connection. */
    public static RawOrigin replyingThenClose(String bytes) {
        return new RawOrigin(bytes.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    /** Writes {@code bytes} after the request head, then keeps the connection open and silent. */
    public static RawOrigin replyingThenStall(String bytes) {
        return new RawOrigin(bytes.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** Accepts, reads the request and never answers. */
    public static RawOrigin stalling() {
        return replyingThenStall("");
    }

    /** Accepts, reads the request head and closes without a byte. */
    public static RawOrigin closingWithoutResponse() {
        return replyingThenClose("");
    }

    /** Answers with something that is not HTTP, then closes. */
    public static RawOrigin garbage() {
        return replyingThenClose("SSH-2.0-OpenSSH_9.2 not http at all\r\n\r\n\u0000\u0001\u0002");
    }

    /** Declares Content-Length 100000, sends 1000 bytes, closes. */
    public static RawOrigin closingMidBody() {
        return replyingThenClose("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                + "a".repeat(1000));
    }

    /** A chunked response that stops after one 1000-byte chunk and closes (no last chunk). */
    public static RawOrigin closingMidChunkedBody() {
        return replyingThenClose("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3e8\r\n" + "a".repeat(1000) + "\r\n");
    }

    /** A port on which nothing listens (bound once, then closed): connecting is refused. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    public int accepted() {
        return accepted.get();
    }

    /** The request heads received, as text. */
    public List<String> heads() {
        return List.copyOf(heads);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "raw-origin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : (b == '\r' ? 1 : 0);
            }
            heads.add(head.toString(StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            out.write(script);
            out.flush();
            if (closeAfter) {
                s.close();
            } else {
                closed.await();
            }
        } catch (IOException e) {
            // gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
