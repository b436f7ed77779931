package org.pushpin.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP/1.1 origin on a real socket, one thread per connection. It records every request it receives (head
 * with header order and duplicates, body bytes, whether the body was complete), counts the connections it accepted,
 * and answers per path with a {@link Reply}. Keep-alive and pipelining like an ordinary server.
 *
 * <p>Binds at construction, so {@link #target()} can go into a routes line in a static initializer. As a JUnit
 * extension ({@code @RegisterExtension}) it forgets handlers and records before each test and closes after all.
 */
public final class TestOrigin implements BeforeEachCallback, AfterAllCallback, AutoCloseable {

    /** Reads the body itself (for uploads too big to record); what it leaves unread is drained afterwards. */
    @FunctionalInterface
    public interface StreamHandler {
        Reply handle(OriginRequest head, InputStream body) throws IOException;
    }

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Function<OriginRequest, Reply>> handlers = new ConcurrentHashMap<>();
    private final Map<String, StreamHandler> streamHandlers = new ConcurrentHashMap<>();
    private final List<OriginRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Integer> openIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Function<OriginRequest, Reply> fallback;

    public TestOrigin() {
        this("origin");
    }

    /** {@code name} starts the default answer's body, to tell origins apart. */
    public TestOrigin(String name) {
        this.name = name;
        this.fallback = defaultHandler();
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads.execute(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}, for a routes line. */
    public String target() {
        return "127.0.0.1:" + port();
    }

    public String name() {
        return name;
    }

    /** Answers requests for exactly this path (query ignored). */
    public TestOrigin on(String path, Function<OriginRequest, Reply> handler) {
        handlers.put(path, handler);
        return this;
    }

    public TestOrigin on(String path, Reply fixed) {
        return on(path, r -> fixed);
    }

    public TestOrigin onStream(String path, StreamHandler handler) {
        streamHandlers.put(path, handler);
        return this;
    }

    /** Answers every path without a handler of its own. */
    public TestOrigin onAny(Function<OriginRequest, Reply> handler) {
        fallback = handler;
        return this;
    }

    /** The default answer: 200, text/plain, body {@code "<name> <METHOD> <uri>"}. */
    private Function<OriginRequest, Reply> defaultHandler() {
        return r -> Reply.ok(name + " " + r.method() + " " + r.uri());
    }

    public List<OriginRequest> requests() {
        return List.copyOf(requests);
    }

    public List<OriginRequest> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The first request to {@code path}, waiting up to {@code wait} for it. */
    public OriginRequest awaitRequest(String path, Duration wait) {
        Await.until(wait, () -> !requestsTo(path).isEmpty(),
                () -> name + " got no request for " + path + "; got " + requests);
        return requestsTo(path).get(0);
    }

    public OriginRequest awaitRequest(String path) {
        return awaitRequest(path, Duration.ofSeconds(10));
    }

    /** Connections accepted since the last reset. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public int openConnections() {
        return open.size();
    }

    /** Whether the connection a request came on ({@link OriginRequest#connection()}) is still open. */
    public boolean isOpen(int connection) {
        return openIds.contains(connection);
    }

    /** Forgets handlers, records and counters (open keep-alive connections stay open). */
    public void reset() {
        handlers.clear();
        streamHandlers.clear();
        fallback = defaultHandler();
        requests.clear();
        accepted.set(0);
    }

    /** Closes every open connection, as an origin does with idle keep-alive connections. */
    public void closeConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        closed.countDown();
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                int id = connectionIds.incrementAndGet();
                open.add(s);
                openIds.add(id);
                threads.execute(() -> serve(s, id));
            } catch (IOException e) {
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (true) {
                String requestLine = HttpWire.readLine(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                String[] parts = requestLine.split(" ");
                if (parts.length != 3) {
                    write(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                List<Header> headers = HttpWire.readHeaders(in);
                boolean chunked = HttpWire.isChunked(headers);
                long length = chunked ? -1 : HttpWire.contentLength(headers);
                InputStream body = chunked ? HttpWire.chunked(in)
                        : HttpWire.fixedLength(in, Math.max(length, 0));
                if (Header.tokens(headers, "Expect").contains("100-continue")) {
                    write(out, "HTTP/1.1 100 Continue\r\n\r\n");
                }
                String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
                Reply reply;
                OriginRequest recorded;
                StreamHandler streamHandler = streamHandlers.get(path);
                if (streamHandler != null) {
                    recorded = new OriginRequest(connection, parts[0], parts[1], parts[2], headers, new byte[0],
                            true, chunked);
                    requests.add(recorded);
                    reply = streamHandler.handle(recorded, body);
                    body.transferTo(OutputStream.nullOutputStream());
                } else {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    boolean complete = true;
                    try {
                        HttpWire.copy(body, buf);
                    } catch (HttpWire.TruncatedException | SocketException e) {
                        complete = false;
                    }
                    recorded = new OriginRequest(connection, parts[0], parts[1], parts[2], headers,
                            buf.toByteArray(), complete, chunked);
                    requests.add(recorded);
                    if (!complete) {
                        return;
                    }
                    reply = handlers.getOrDefault(path, fallback).apply(recorded);
                }
                boolean keepAlive = respond(out, recorded, reply);
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away; nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
            openIds.remove(connection);
        }
    }

    /** Writes the reply; returns whether the connection may carry another request. */
    private boolean respond(OutputStream out, OriginRequest req, Reply reply) throws IOException,
            InterruptedException {
        if (reply.stall) {
            closed.await();
            return false;
        }
        sleep(reply.delay);
        boolean head = req.method().equals("HEAD");
        boolean http10 = req.version().equals("HTTP/1.0");
        boolean clientClose = Header.tokens(req.headers(), "Connection").contains("close");
        boolean replyClose = Header.tokens(reply.headers, "Connection").contains("close");
        Reply.Framing framing = reply.framing;
        if (framing == Reply.Framing.CHUNKED && http10) {
            framing = Reply.Framing.CLOSE;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(reply.status).append(' ').append(reply.reasonOrDefault()).append("\r\n");
        for (Header h : reply.headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        boolean bodyless = reply.status == 204 || reply.status == 304 || reply.status < 200;
        long length = reply.writer != null ? reply.streamLength : reply.body.length;
        if (!bodyless) {
            switch (framing) {
                case LENGTH -> sb.append("Content-Length: ").append(length).append("\r\n");
                case CHUNKED -> sb.append("Transfer-Encoding: chunked\r\n");
                case CLOSE -> {
                    if (!replyClose) {
                        sb.append("Connection: close\r\n");
                    }
                }
            }
        }
        sb.append("\r\n");
        write(out, sb.toString());
        if (head || bodyless) {
            out.flush();
            return !(http10 || clientClose || replyClose);
        }
        OutputStream bodyOut = framing == Reply.Framing.CHUNKED ? new ChunkedOutput(out) : out;
        if (reply.writer != null) {
            reply.writer.writeTo(bodyOut);
        } else {
            int step = reply.chunkSize > 0 ? reply.chunkSize : Math.max(1, reply.body.length);
            for (int off = 0; off < reply.body.length; off += step) {
                sleep(reply.chunkDelay);
                bodyOut.write(reply.body, off, Math.min(step, reply.body.length - off));
                bodyOut.flush();
            }
        }
        if (framing == Reply.Framing.CHUNKED) {
            write(out, "0\r\n\r\n");
        }
        out.flush();
        return framing != Reply.Framing.CLOSE && !(http10 || clientClose || replyClose);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** Every write becomes one chunk. */
    private static final class ChunkedOutput extends OutputStream {
        private final OutputStream out;

        ChunkedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    /** All requests received, for failure messages. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        requests.forEach(r -> lines.add(r.toString()));
        return name + " :" + port() + " " + lines;
    }
}
