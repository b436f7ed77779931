package org.pushpin.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the exact bytes of an HTTP/1.x request for {@link RawClient}. Nothing is added behind the caller's back
 * except {@code Host: localhost} (unless {@link #noHost()} or an explicit Host) and {@code Content-Length} for a
 * {@link #body} (unless {@link #noContentLength()}).
 */
public final class Req {
    private final String method;
    private final String target;
    private String version = "HTTP/1.1";
    private final List<Header> headers = new ArrayList<>();
    private boolean host = true;
    private byte[] body;
    private boolean contentLength = true;
    private List<byte[]> chunks;

    private Req(String method, String target) {
        this.method = method;
        this.target = target;
    }

    public static Req of(String method, String target) {
        return new Req(method, target);
    }

    public static Req get(String target) {
        return new Req("GET", target);
    }

    public static Req head(String target) {
        return new Req("HEAD", target);
    }

    public static Req post(String target) {
        return new Req("POST", target);
    }

    public String method() {
        return method;
    }

    public Req version(String v) {
        this.version = v;
        return this;
    }

    public Req http10() {
        return version("HTTP/1.0");
    }

    /** Adds a header line as given (several calls with one name give several lines). */
    public Req header(String name, String value) {
        if (name.equalsIgnoreCase("Host")) {
            host = false;
        }
        headers.add(new Header(name, value));
        return this;
    }

    public Req host(String value) {
        return header("Host", value);
    }

    public Req noHost() {
        host = false;
        return this;
    }

    public Req body(String s) {
        return body(s.getBytes(StandardCharsets.UTF_8));
    }

    public Req body(byte[] b) {
        this.body = b;
        return this;
    }

    /** Do not add Content-Length for {@link #body}. */
    public Req noContentLength() {
        this.contentLength = false;
        return this;
    }

    /** A chunked body: adds {@code Transfer-Encoding: chunked} and encodes these chunks plus the last chunk. */
    public Req chunked(String... parts) {
        List<byte[]> list = new ArrayList<>();
        for (String p : parts) {
            list.add(p.getBytes(StandardCharsets.UTF_8));
        }
        return chunked(list);
    }

    public Req chunked(List<byte[]> parts) {
        this.chunks = parts;
        return header("Transfer-Encoding", "chunked");
    }

    /** The request head only (through the blank line). */
    public byte[] head() {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        if (host) {
            sb.append("Host: localhost\r\n");
        }
        for (Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body != null && contentLength) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head());
        if (body != null) {
            out.writeBytes(body);
        }
        if (chunks != null) {
            for (byte[] c : chunks) {
                out.writeBytes((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(c);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
