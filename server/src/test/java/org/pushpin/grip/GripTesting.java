package org.pushpin.grip;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Compact notations for the instruct test tables. */
final class GripTesting {
    static final URI REQUEST_URI = URI.create("http://example.com/p/q/r?x=1");

    private GripTesting() {
    }

    /** {@code "Name: value || Name2: value2"}; a value may be empty ({@code "Grip-Hold:"}). */
    static List<Map.Entry<String, String>> headers(String spec) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String h : spec.split(" \\|\\| ")) {
            int colon = h.indexOf(':');
            out.add(Map.entry(h.substring(0, colon).trim(), QtCompat.trim(h.substring(colon + 1))));
        }
        return out;
    }

    static Instruct parse(String headerSpec) throws InstructException {
        return parse(200, "OK", headerSpec, "", REQUEST_URI);
    }

    static Instruct parse(int status, String reason, String headerSpec, String body, URI requestUri)
            throws InstructException {
        return InstructParser.parse(status, reason, headers(headerSpec), body.getBytes(StandardCharsets.UTF_8),
                requestUri, 20);
    }

    /** The parse error message, or "OK" when it parsed. */
    static String error(int status, String headerSpec, String body) {
        try {
            parse(status, "OK", headerSpec, body, REQUEST_URI);
            return "OK";
        } catch (InstructException e) {
            return e.getMessage();
        }
    }

    /** {@code name}, {@code name prev=ID}, {@code name f=[a, b]} joined by {@code ", "} in brackets. */
    static String channels(Instruct i) {
        return i.channels().stream().map(c -> c.name()
                + (c.prevId() == null ? "" : " prev=" + c.prevId())
                + (c.filters().isEmpty() ? "" : " f=" + c.filters()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Bytes as text with {@code \r \n \\ \xHH} escapes. */
    static String escape(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (byte b : data) {
            int c = b & 0xff;
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static String keepAlive(Instruct i) {
        KeepAlive k = i.keepAlive();
        return k == null ? "none" : escape(k.data()) + "/" + k.timeout() + "/" + k.mode();
    }

    static String link(Instruct i) {
        NextLink l = i.nextLink();
        return l == null ? "none" : l.uri() + " " + l.timeout();
    }

    /** {@code code reason [Name: value, ...] body}. */
    static String response(Instruct i) {
        ClientResponse r = i.response();
        return r.code() + " " + r.reason() + " "
                + r.headers().stream().map(h -> h.getKey() + ": " + h.getValue())
                        .collect(Collectors.joining(", ", "[", "]"))
                + " " + escape(r.body());
    }
}
