package org.pushpin.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of a held streaming response (GRIP stream hold, SSE): sends one request, reads the response head, then
 * reads the body in a background thread so a test can wait for what arrives ({@link #awaitText}) and for the end
 * ({@link #awaitEnd}) without blocking reads. The body is de-chunked; {@link #framing()} says how it was framed.
 */
public final class HeldStream implements AutoCloseable {
    private final RawClient client;
    private final RawClient.Head head;
    private final RawResponse.Framing framing;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean ended;
    private volatile boolean complete;
    private volatile Throwable error;
    private volatile int mark;

    private HeldStream(RawClient client, RawClient.Head head, String method) {
        this.client = client;
        this.head = head;
        this.framing = framingOf(head, method);
        InputStream in = client.body(head, method);
        this.reader = new Thread(() -> readAll(in), "held-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends {@code req} on a new connection to 127.0.0.1:{@code port} and waits for the response head. */
    public static HeldStream open(int port, Req req) throws IOException {
        return open(new InetSocketAddress("127.0.0.1", port), req);
    }

    public static HeldStream open(InetSocketAddress address, Req req) throws IOException {
        RawClient c = RawClient.connect(address);
        try {
            c.send(req);
            RawClient.Head head = c.readHead();
            c.timeout(Duration.ZERO);
            return new HeldStream(c, head, req.method());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void readAll(InputStream in) {
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                synchronized (body) {
                    body.write(b, 0, n);
                }
            }
            complete = true;
        } catch (Throwable t) {
            error = t;
        } finally {
            ended = true;
        }
    }

    public RawClient.Head head() {
        return head;
    }

    public int status() {
        return head.status();
    }

    public List<Header> headers() {
        return head.headers();
    }

    public java.util.Optional<String> header(String name) {
        return Header.first(head.headers(), name);
    }

    public boolean hasHeader(String name) {
        return head.headers().stream().anyMatch(h -> h.is(name));
    }

    public RawResponse.Framing framing() {
        return framing;
    }

    /** The body bytes received so far. */
    public byte[] bytes() {
        synchronized (body) {
            return body.toByteArray();
        }
    }

    /** The body received so far, as UTF-8. */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Waits until the body received so far satisfies {@code condition}; returns it. */
    public String awaitText(Predicate<String> condition, Duration limit) {
        Await.until(limit, () -> condition.test(text()), () -> "stream body so far: " + quoted(text())
                + (ended ? " (ended" + (error != null ? ": " + error : "") + ")" : ""));
        return text();
    }

    /** Waits until the body received so far contains {@code part}. */
    public String awaitText(String part, Duration limit) {
        return awaitText(t -> t.contains(part), limit);
    }

    /** Waits until the body received so far is exactly {@code expected}. */
    public String awaitExactly(String expected, Duration limit) {
        return awaitText(t -> t.equals(expected), limit);
    }

    /** Waits until the response ended (framing end, close or reset); returns whether it did within {@code limit}. */
    public boolean awaitEnd(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ended;
            }
        }
        return ended;
    }

    /** True once the response ended. */
    public boolean ended() {
        return ended;
    }

    /**
     * True when the response ended as its framing says a response ends (the last chunk for chunked, the close for a
     * close-delimited body), false when it was cut off or has not ended.
     */
    public boolean endedCleanly() {
        return ended && complete;
    }

    /** Marks a position in the body; {@link #sinceMark()} returns what came after it. */
    public void mark(int charOffset) {
        mark = charOffset;
    }

    /** Marks the end of what was received so far. */
    public void mark() {
        mark = text().length();
    }

    /** The body after the {@link #mark}. */
    public String sinceMark() {
        return text().substring(mark);
    }

    /** Waits until the body after the mark satisfies {@code condition}; returns it. */
    public String awaitSinceMark(Predicate<String> condition, Duration limit) {
        Await.until(limit, () -> condition.test(sinceMark()), () -> "stream body after the mark: "
                + quoted(sinceMark()) + (ended ? " (ended" + (error != null ? ": " + error : "") + ")" : ""));
        return sinceMark();
    }

    /** The underlying client (e.g. to send another request on the connection after the end). */
    public RawClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        client.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RawResponse.Framing framingOf(RawClient.Head head, String method) {
        if (method.equalsIgnoreCase("HEAD") || head.status() < 200 || head.status() == 204
                || head.status() == 304) {
            return RawResponse.Framing.NO_BODY;
        }
        if (HttpWire.isChunked(head.headers())) {
            return RawResponse.Framing.CHUNKED;
        }
        if (HttpWire.contentLength(head.headers()) >= 0) {
            return RawResponse.Framing.CONTENT_LENGTH;
        }
        return RawResponse.Framing.CLOSE;
    }

    static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n") + '"';
    }

    @Override
    public String toString() {
        return head.version() + " " + head.status() + " " + head.reason() + " " + head.headers() + " ["
                + framing + "] " + quoted(text());
    }
}
