package org.pushpin.ingest;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.HeaderValueParser;

/**
 * Reads one request the way Pushpin 1.36's {@code SimpleHttpServer} does, quirks included, because publishers
 * see its error texts: the head must end (a blank line, {@code \n\n} or {@code \n\r\n}) within the first
 * {@code maxHeaders} bytes; a body needs {@code Content-Length} unless the method is GET, HEAD, DELETE or OPTIONS
 * (methods are case-sensitive); any {@code Transfer-Encoding} without a length is refused; bytes beyond the
 * announced length are an error; {@code Expect: 100-continue} (exact value) is answered before the body.
 * Not thread-safe: one per connection, used on its event loop.
 */
final class ControlRequestReader {
    /** What the caller does next. */
    sealed interface Step permits NeedMore, Continue, Failed, Complete {
    }

    /** Wait for more bytes. */
    record NeedMore() implements Step {
    }

    /** Write {@code 100 Continue} ({@link #continueBytes}), then call {@link #next()} again. */
    record Continue() implements Step {
    }

    /** Answer with this error and close. */
    record Failed(ControlReply reply, boolean http10) implements Step {
    }

    /** The request is complete. */
    record Complete(ControlRequest request) implements Step {
    }

    private static final Step NEED_MORE = new NeedMore();

    private final int maxHeaders;
    private final int maxBody;
    private byte[] buf = new byte[512];
    private int len;
    private boolean headDone;
    private boolean continuePending;
    private boolean hasLength;
    private int bodyStart;
    private long contentLength;
    private String method;
    private String uri;
    private boolean http10;
    private List<Map.Entry<String, String>> headers;

    ControlRequestReader(int maxHeaders, int maxBody) {
        this.maxHeaders = maxHeaders;
        this.maxBody = maxBody;
    }

    /** Appends received bytes. */
    void add(byte[] data, int off, int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }
        System.arraycopy(data, off, buf, len, n);
        len += n;
    }

    byte[] continueBytes() {
        return (http10 ? "HTTP/1.0 100 Continue\r\n\r\n" : "HTTP/1.1 100 Continue\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    Step next() {
        if (!headDone) {
            Step s = readHead();
            if (s != null) {
                return s;
            }
        }
        if (continuePending) {
            continuePending = false;
            return new Continue();
        }
        if (!hasLength) {
            return complete(new byte[0]); // whatever follows the head is ignored, as in Pushpin
        }
        long have = len - bodyStart;
        if (have > contentLength) {
            return fail(400, "Bad Request", "Request body exceeded Content-Length.");
        }
        if (have == contentLength) {
            return complete(Arrays.copyOfRange(buf, bodyStart, len));
        }
        return NEED_MORE;
    }

    /** Null when the head was read and a body follows; otherwise the step to take. */
    private Step readHead() {
        int limit = Math.min(len, maxHeaders);
        int at = -1;
        int next = 0;
        for (int n = 0; n < limit; n++) {
            if (buf[n] != '\n') {
                continue;
            }
            if (n + 1 < limit && buf[n + 1] == '\n') {
                at = n + 1;
                next = n + 2;
                break;
            }
            if (n + 2 < limit && buf[n + 1] == '\r' && buf[n + 2] == '\n') {
                at = n + 1;
                next = n + 3;
                break;
            }
        }
        if (at == -1) {
            return len >= maxHeaders ? fail(400, "Bad Request", "Request header too large.") : NEED_MORE;
        }
        headDone = true;
        if (!parseHead(new String(buf, 0, at, StandardCharsets.ISO_8859_1))) {
            return fail(400, "Bad Request", "Failed to parse request header.");
        }
        boolean assumesBody = !(method.equals("HEAD") || method.equals("GET") || method.equals("DELETE")
                || method.equals("OPTIONS"));
        String lengthValue = HeaderValueParser.first(headers, "Content-Length");
        if (lengthValue == null) {
            if (HeaderValueParser.contains(headers, "Transfer-Encoding") || assumesBody) {
                return fail(411, "Length Required", "Request requires Content-Length.");
            }
            return null;
        }
        Long length = parseInt(lengthValue);
        if (length == null) {
            return fail(400, "Bad Request", "Bad Content-Length.");
        }
        if (length > maxBody) {
            return fail(400, "Bad Request", "Request body too large.");
        }
        hasLength = true;
        contentLength = length;
        bodyStart = next;
        continuePending = "100-continue".equals(HeaderValueParser.first(headers, "Expect"));
        return null;
    }

    private boolean parseHead(String head) {
        List<String> lines = new ArrayList<>();
        int at = 0;
        while (at < head.length()) {
            int end = head.indexOf('\n', at);
            lines.add(end > at && head.charAt(end - 1) == '\r' ? head.substring(at, end - 1)
                    : head.substring(at, end));
            at = end + 1;
        }
        if (lines.isEmpty()) {
            return false;
        }
        String requestLine = lines.get(0);
        int sp = requestLine.indexOf(' ');
        if (sp <= 0) {
            return false;
        }
        int sp2 = requestLine.indexOf(' ', sp + 1);
        if (sp2 == -1) {
            return false;
        }
        method = requestLine.substring(0, sp);
        uri = requestLine.substring(sp + 1, sp2);
        http10 = requestLine.substring(sp2 + 1).equals("HTTP/1.0");
        headers = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            int colon = line.indexOf(':');
            if (colon == -1) {
                continue; // Pushpin skips such lines silently
            }
            int v = colon + 1;
            if (v < line.length() && line.charAt(v) == ' ') {
                v++; // only the first space; the rest of the value is kept as is
            }
            headers.add(new SimpleImmutableEntry<>(line.substring(0, colon), line.substring(v)));
        }
        return true;
    }

    /** {@code QByteArray::toInt}: ASCII whitespace around an optional sign and decimal digits, in int range. */
    static Long parseInt(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiSpace(s.charAt(end - 1))) {
            end--;
        }
        boolean negative = false;
        if (start < end && (s.charAt(start) == '+' || s.charAt(start) == '-')) {
            negative = s.charAt(start) == '-';
            start++;
        }
        if (start == end) {
            return null;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
            if (v > 1L + Integer.MAX_VALUE) {
                return null;
            }
        }
        v = negative ? -v : v;
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : v;
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private Step complete(byte[] body) {
        return new Complete(new ControlRequest(method, uri, http10, List.copyOf(headers), body));
    }

    private Step fail(int code, String reason, String text) {
        return new Failed(ControlReply.text(code, reason, text + "\n"), http10);
    }
}
