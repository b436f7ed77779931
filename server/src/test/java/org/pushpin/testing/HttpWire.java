package org.pushpin.testing;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Blocking HTTP/1.x framing shared by the test client and the test origin. Tolerant, never clever. */
public final class HttpWire {
    private HttpWire() {
    }

    /** Thrown when the peer closed before the framing said the message ends. */
    public static final class TruncatedException extends EOFException {
        public TruncatedException(String message) {
            super(message);
        }
    }

    /** One line without its CRLF (or bare LF); null when the stream ends before any byte of it. */
    public static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (sb.length() == 0) {
                    return null;
                }
                throw new TruncatedException("stream ended inside a line: " + sb);
            }
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) b);
            if (sb.length() > 1 << 20) {
                throw new IOException("line too long");
            }
        }
    }

    /** Header lines up to the blank line. */
    public static List<Header> readHeaders(InputStream in) throws IOException {
        List<Header> headers = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new TruncatedException("stream ended inside the header block");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
    }

    /** Exactly {@code length} bytes of {@code in}; EOF before that throws {@link TruncatedException}. */
    public static InputStream fixedLength(InputStream in, long length) {
        return new FilterInputStream(in) {
            long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new TruncatedException(left + " of " + length + " body bytes missing");
                }
                left -= n;
                return n;
            }

            @Override
            public void close() {
                // the connection stays open
            }
        };
    }

    /** Decodes a chunked body (trailers read and dropped); EOF before the last chunk throws. */
    public static InputStream chunked(InputStream in) {
        return new InputStream() {
            long left;
            boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                if (left == 0) {
                    String line = readLine(in);
                    if (line == null) {
                        throw new TruncatedException("stream ended before a chunk size");
                    }
                    int semi = line.indexOf(';');
                    String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
                    try {
                        left = Long.parseLong(size, 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad chunk size line: " + line);
                    }
                    if (left == 0) {
                        while (true) {
                            String t = readLine(in);
                            if (t == null) {
                                throw new TruncatedException("stream ended in the trailer");
                            }
                            if (t.isEmpty()) {
                                break;
                            }
                        }
                        done = true;
                        return -1;
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new TruncatedException("stream ended inside a chunk");
                }
                left -= n;
                if (left == 0) {
                    String crlf = readLine(in);
                    if (crlf == null || !crlf.isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                }
                return n;
            }
        };
    }

    /** Reads {@code in} to its end into {@code sink}; returns the bytes moved. */
    public static long copy(InputStream in, OutputStream sink) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            sink.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether any Transfer-Encoding header names chunked (last coding, as RFC 9112 frames it). */
    public static boolean isChunked(List<Header> headers) {
        List<String> te = Header.tokens(headers, "Transfer-Encoding");
        return !te.isEmpty() && te.get(te.size() - 1).equals("chunked");
    }

    /** The Content-Length value, or -1 when absent. */
    public static long contentLength(List<Header> headers) {
        return Header.first(headers, "Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
    }
}
