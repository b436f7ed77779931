package org.pushpin.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What {@link TestOrigin} answers: status, headers, a body and how to frame and pace it. */
public final class Reply {

    public enum Framing {
        /** {@code Content-Length} (the default). */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}, in {@link #chunkSize} pieces. */
        CHUNKED,
        /** No length: the body ends when the origin closes the connection. */
        CLOSE
    }

    /** Writes a (possibly huge) body without holding it; must write exactly the declared length. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    int status = 200;
    String reason;
    final List<Header> headers = new ArrayList<>();
    byte[] body = new byte[0];
    long streamLength = -1;
    BodyWriter writer;
    Framing framing = Framing.LENGTH;
    int chunkSize = 8192;
    Duration delay = Duration.ZERO;
    Duration chunkDelay = Duration.ZERO;
    boolean stall;

    public static Reply status(int status) {
        Reply r = new Reply();
        r.status = status;
        return r;
    }

    public static Reply status(int status, String reason) {
        return status(status).reason(reason);
    }

    public static Reply ok(String body) {
        return status(200).header("Content-Type", "text/plain").body(body);
    }

    /** Never answers (until the connection or the origin is closed). */
    public static Reply stall() {
        Reply r = new Reply();
        r.stall = true;
        return r;
    }

    public Reply reason(String reason) {
        this.reason = reason;
        return this;
    }

    public Reply header(String name, String value) {
        headers.add(new Header(name, value));
        return this;
    }

    public Reply body(String s) {
        return body(s.getBytes(StandardCharsets.UTF_8));
    }

    public Reply body(byte[] b) {
        this.body = b;
        return this;
    }

    /** A body written by {@code writer}; {@code length} bytes with Content-Length, or any with another framing. */
    public Reply streamed(long length, BodyWriter writer) {
        this.streamLength = length;
        this.writer = writer;
        return this;
    }

    public Reply chunked() {
        this.framing = Framing.CHUNKED;
        return this;
    }

    public Reply chunked(int size) {
        this.chunkSize = size;
        return chunked();
    }

    public Reply closeDelimited() {
        this.framing = Framing.CLOSE;
        return this;
    }

    /** Waits this long before sending anything. */
    public Reply delay(Duration d) {
        this.delay = d;
        return this;
    }

    /** Waits this long before each chunk / piece of the body. */
    public Reply slow(int pieceSize, Duration perPiece) {
        this.chunkSize = pieceSize;
        this.chunkDelay = perPiece;
        return this;
    }

    String reasonOrDefault() {
        if (reason != null) {
            return reason;
        }
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Whatever";
        };
    }
}
