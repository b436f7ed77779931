package org.pushpin.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.pushpin.testing.HttpWire.TruncatedException;

/**
 * A raw-socket HTTP/1.x client: writes exactly the bytes it is given and reads responses with their real framing.
 * For what an ordinary client cannot express (HTTP/1.0, no Host, pipelining, malformed requests, smuggling).
 * Every read has a timeout (default 10 s) so a silent server fails a test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;         // null for a unix socket
    private final SocketChannel channel; // null for TCP
    private final InputStream in;
    private final OutputStream out;
    private final Deque<String> sentMethods = new ArrayDeque<>();

    private RawClient(Socket socket, SocketChannel channel, InputStream in, OutputStream out) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = out;
    }

    public static RawClient connect(int port) throws IOException {
        return connect(new InetSocketAddress("127.0.0.1", port));
    }

    public static RawClient connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
        s.setTcpNoDelay(true);
        return new RawClient(s, null, s.getInputStream(), s.getOutputStream());
    }

    /** TLS to 127.0.0.1:{@code port}, trusting any certificate, sending SNI {@code sniHost} (null: none). */
    public static RawClient connectTls(int port, String sniHost) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            SSLParameters params = s.getSSLParameters();
            params.setServerNames(sniHost == null ? List.of() : List.of(new SNIHostName(sniHost)));
            s.setSSLParameters(params);
            s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            s.startHandshake();
            return new RawClient(s, null, s.getInputStream(), s.getOutputStream());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A unix-domain stream socket (no read timeout: rely on the test's @Timeout). */
    public static RawClient connectUnix(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        return new RawClient(null, ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /** One request on a fresh connection, then close. */
    public static RawResponse exchange(int port, Req req) throws IOException {
        try (RawClient c = connect(port)) {
            return c.exchange(req);
        }
    }

    public RawClient timeout(Duration t) throws IOException {
        if (socket != null) {
            socket.setSoTimeout((int) t.toMillis());
        }
        return this;
    }

    public SSLSession sslSession() {
        return ((SSLSocket) socket).getSession();
    }

    public RawClient send(Req req) throws IOException {
        sentMethods.add(req.method());
        return send(req.bytes());
    }

    public RawClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    public OutputStream output() {
        return out;
    }

    /** Half-closes the sending side (TCP FIN) while still reading. */
    public void shutdownOutput() throws IOException {
        if (socket != null) {
            socket.shutdownOutput();
        } else {
            channel.shutdownOutput();
        }
    }

    public RawResponse exchange(Req req) throws IOException {
        send(req);
        return read();
    }

    /** The head of the next response (1xx included). */
    public record Head(String version, int status, String reason, List<Header> headers) {
    }

    public Head readHead() throws IOException {
        String statusLine = HttpWire.readLine(in);
        if (statusLine == null) {
            throw new TruncatedException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: " + statusLine);
        }
        return new Head(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "",
                HttpWire.readHeaders(in));
    }

    /** Reads the next response, body included, for the oldest request sent with {@link #send(Req)}. */
    public RawResponse read() throws IOException {
        Head head = readHead();
        String method = head.status() >= 200 || head.status() == 101
                ? (sentMethods.isEmpty() ? "GET" : sentMethods.poll()) : "GET";
        RawResponse.Framing framing = framing(head, method);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete = true;
        if (framing != RawResponse.Framing.NO_BODY) {
            try {
                HttpWire.copy(bodyStream(head, framing), body);
            } catch (TruncatedException | SocketException e) {
                complete = false;
            }
        }
        return new RawResponse(head.version(), head.status(), head.reason(), head.headers(), body.toByteArray(),
                framing, complete);
    }

    /** Reads the next response, skipping interim 1xx responses. */
    public RawResponse readFinal() throws IOException {
        while (true) {
            RawResponse r = read();
            if (r.status() >= 200 || r.status() == 101) {
                return r;
            }
        }
    }

    /** The decoded body of a response whose head was read with {@link #readHead()} (for streaming reads). */
    public InputStream body(Head head, String requestMethod) {
        return bodyStream(head, framing(head, requestMethod));
    }

    private static RawResponse.Framing framing(Head head, String method) {
        int s = head.status();
        if (method.equalsIgnoreCase("HEAD") || s < 200 || s == 204 || s == 304) {
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

    private InputStream bodyStream(Head head, RawResponse.Framing framing) {
        return switch (framing) {
            case NO_BODY -> InputStream.nullInputStream();
            case CHUNKED -> HttpWire.chunked(in);
            case CONTENT_LENGTH -> HttpWire.fixedLength(in, HttpWire.contentLength(head.headers()));
            case CLOSE -> in;
        };
    }

    /** Everything until the server closes (a reset counts as the end). */
    public byte[] readUntilClose() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketException e) {
            // reset: the end as well
        }
        return buf.toByteArray();
    }

    /** What a client can observe within {@code wait}: a response, the connection closing, or nothing. */
    public sealed interface Outcome permits Responded, Closed, Silent {
    }

    public record Responded(RawResponse response) implements Outcome {
    }

    /** Closed (or reset) without a complete response head; {@code bytes} is whatever came before. */
    public record Closed(String bytes) implements Outcome {
    }

    public record Silent() implements Outcome {
    }

    public Outcome outcome(Duration wait) throws IOException {
        timeout(wait);
        in.mark(1 << 16);
        try {
            int first = in.read();
            if (first < 0) {
                return new Closed("");
            }
            in.reset();
        } catch (SocketTimeoutException e) {
            return new Silent();
        } catch (SocketException e) {
            return new Closed("");
        } finally {
            timeout(DEFAULT_TIMEOUT);
        }
        try {
            return new Responded(read());
        } catch (TruncatedException | SocketException e) {
            return new Closed("(partial head) " + e.getMessage());
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("not a status line")) {
                return new Closed(e.getMessage());
            }
            throw e;
        }
    }

    /** True when the server closes (or resets) within {@code wait}; bytes that arrive meanwhile are dropped. */
    public boolean awaitClosed(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] b = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                timeout(Duration.ofMillis(left));
                if (in.read(b) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            if (socket != null && !socket.isClosed()) {
                timeout(DEFAULT_TIMEOUT);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        } else {
            channel.close();
        }
    }

    /** Lower-cased header names of a response, for readable assertions. */
    public static List<String> names(RawResponse r) {
        return r.headers().stream().map(h -> h.name().toLowerCase(Locale.ROOT)).toList();
    }

    static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
