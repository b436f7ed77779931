package org.pushpin.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A raw HTTP/2 client on a blocking socket for tests: frames are written with Netty's {@link DefaultHttp2FrameWriter}
 * (into an embedded channel, then onto the socket) and read one at a time, so a test can both behave (several
 * streams on one connection) and misbehave (floods) as it likes and see every frame the server sends.
 */
public final class H2Client implements AutoCloseable {
    /** A frame as received; {@code headers} is set for HEADERS (HPACK-decoded), else null. */
    public record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        public boolean endStream() {
            return (flags & Http2Flags.END_STREAM) != 0;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For GOAWAY and RST_STREAM: the error code. */
        public long errorCode() {
            int at = type == Http2FrameTypes.GO_AWAY ? 4 : 0;
            return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final EmbeddedChannel sink = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = sink.pipeline().firstContext();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    /** Bodies received so far per stream. */
    private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();

    private H2Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A plain connection (HTTP/2 with prior knowledge); nothing is sent yet. */
    public static H2Client connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setTcpNoDelay(true);
        return new H2Client(s);
    }

    /** A TLS connection that asked for h2 by ALPN; {@link #alpn()} says what the server chose. */
    public static H2Client connectTls(int port) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new RawClient.TrustAll()}, new SecureRandom());
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(params);
            s.startHandshake();
            return new H2Client(s);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public String alpn() {
        return socket instanceof SSLSocket s ? s.getApplicationProtocol() : null;
    }

    /** The client preface and an empty SETTINGS frame. */
    public H2Client start() throws IOException {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        byte[] b = new byte[preface.readableBytes()];
        preface.readBytes(b);
        preface.release();
        out.write(b);
        writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
        return flush();
    }

    public H2Client get(int stream, String path, String authority) throws IOException {
        return headers(stream, request("GET", path, authority), true);
    }

    public static Http2Headers request(String method, String path, String authority) {
        return new DefaultHttp2Headers().method(method).path(path).scheme("http").authority(authority);
    }

    public H2Client headers(int stream, Http2Headers headers, boolean endStream) throws IOException {
        writer.writeHeaders(ctx, stream, headers, 0, endStream, ctx.newPromise());
        return flush();
    }

    public H2Client data(int stream, String text, boolean endStream) throws IOException {
        writer.writeData(ctx, stream, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), 0, endStream,
                ctx.newPromise());
        return flush();
    }

    public H2Client rst(int stream) throws IOException {
        writer.writeRstStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
        return flush();
    }

    public H2Client settingsAck() throws IOException {
        writer.writeSettingsAck(ctx, ctx.newPromise());
        return flush();
    }

    /** Any bytes, as they are (a hand-made frame). */
    public H2Client raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** A frame header followed by {@code payload}. */
    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    private H2Client flush() throws IOException {
        sink.flushOutbound();
        ByteBuf b;
        while ((b = sink.readOutbound()) != null) {
            try {
                b.readBytes(out, b.readableBytes());
            } finally {
                b.release();
            }
        }
        out.flush();
        return this;
    }

    /** The next frame; SETTINGS from the server are acknowledged, PINGs answered. Throws EOFException at close. */
    public Frame read() throws IOException {
        return read(true);
    }

    private Frame read(boolean reply) throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        Http2Headers headers = null;
        if (type == Http2FrameTypes.HEADERS) {
            ByteBuf block = Unpooled.wrappedBuffer(payload);
            try {
                headers = decoder.decodeHeaders(stream, block);
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                block.release();
            }
        } else if (!reply) {
            return new Frame(type, flags, stream, payload, null);
        } else if (type == Http2FrameTypes.SETTINGS && (flags & Http2Flags.ACK) == 0) {
            settingsAck();
        } else if (type == Http2FrameTypes.DATA) {
            bodies.computeIfAbsent(stream, s -> new ByteArrayOutputStream()).writeBytes(payload);
            if (length > 0) {
                writer.writeWindowUpdate(ctx, 0, length, ctx.newPromise());
                writer.writeWindowUpdate(ctx, stream, length, ctx.newPromise());
                try {
                    flush();
                } catch (IOException ignored) {
                    // the stream or connection may be gone already
                }
            }
        }
        return new Frame(type, flags, stream, payload, headers);
    }

    /** Reads until a frame {@code until} accepts it, and returns that frame. */
    public Frame readUntil(java.util.function.Predicate<Frame> until) throws IOException {
        while (true) {
            Frame f = read();
            if (until.test(f)) {
                return f;
            }
        }
    }

    /** Reads until the server closes the connection, returning every frame; EOF or a reset ends it. */
    public List<Frame> readToClose() {
        List<Frame> frames = new java.util.ArrayList<>();
        try {
            while (true) {
                frames.add(read());
            }
        } catch (EOFException | java.net.SocketException e) {
            return frames;
        } catch (IOException e) {
            throw new AssertionError("no close, after " + frames, e);
        }
    }

    /**
     * Writes {@code bytes} (a flood) while another thread reads every frame the server sends until it closes; a
     * server that gives up mid-flood closes with bytes unread, and its TCP reset would discard frames not yet read.
     * Nothing is answered meanwhile. Returns the frames.
     */
    public List<Frame> floodUntilClosed(byte[] bytes) throws InterruptedException {
        List<Frame> frames = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    frames.add(read(false));
                }
            } catch (IOException e) {
                // closed or reset: done
            }
        }, "h2-flood-reader");
        reader.start();
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException closedMeanwhile) {
            // the server may close while the flood is still being written
        }
        reader.join(20_000);
        assertClosed(reader);
        return List.copyOf(frames);
    }

    private static void assertClosed(Thread reader) {
        if (reader.isAlive()) {
            reader.interrupt();
            throw new AssertionError("the server did not close the connection");
        }
    }

    /** The body received on {@code stream} so far. */
    public String body(int stream) {
        ByteArrayOutputStream b = bodies.get(stream);
        return b == null ? "" : b.toString(StandardCharsets.UTF_8);
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        sink.finishAndReleaseAll();
        socket.close();
    }
}
