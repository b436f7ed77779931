package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A response wrapped in a JSON-P call, {@code /**}{@code /CALLBACK(...);\n}, in the two layouts Pushpin 1.36 writes.
 * Basic mode puts the body itself in the call, less one trailing newline. Extended mode puts an object with the
 * status, reason, headers and body in it: a relayed response as {@code {"code": C, "reason": R, "headers": H,
 * "body": B}} (its body streamable), a held one (a long-poll's timeout or published answer) as compact JSON with
 * sorted keys, {@code {"body":B,"code":C,"headers":H,"reason":R}}. The HTTP status of the wrapping answer is
 * always 200: a script tag cannot see another.
 */
final class JsonpResponse {
    static final String CONTENT_TYPE = "application/javascript";

    private final byte[] callback;
    private final boolean extended;

    /** @param callback the function to call, as bytes (it is written as given) */
    JsonpResponse(byte[] callback, boolean extended) {
        this.callback = callback;
        this.extended = extended;
    }

    boolean extended() {
        return extended;
    }

    // ---- a relayed response, streamable -----------------------------------------------------------------------

    /** What goes before the relayed body: the call, and in extended mode the object up to the body's opening quote. */
    ByteBuf start(ByteBufAllocator alloc, int code, String reason, HttpHeaders headers) {
        ByteBuf out = alloc.buffer();
        out.writeBytes("/**/".getBytes(StandardCharsets.US_ASCII)).writeBytes(callback).writeByte('(');
        if (extended) {
            ascii(out, "{\"code\": " + code + ", \"reason\": ");
            JsonpText.appendQuoted(out, reason);
            ascii(out, ", \"headers\": ");
            writeFirstValues(out, headers);
            ascii(out, ", \"body\": \"");
        }
        return out;
    }

    /**
     * Writes the readable bytes of {@code in} as they go in the call and consumes them; unless {@code last}, what
     * may not be written yet stays in {@code in} for the next part: a cut-off UTF-8 sequence (extended), a trailing
     * newline that must go if nothing follows (basic).
     */
    void body(ByteBuf out, ByteBuf in, boolean last) {
        if (extended) {
            JsonpText.append(out, in, !last);
            return;
        }
        int end = in.writerIndex();
        int keep = trailingNewline(in, last);
        out.writeBytes(in, in.readerIndex(), end - keep - in.readerIndex());
        in.readerIndex(last ? end : end - keep);
    }

    /** What closes the call after the relayed body. */
    ByteBuf end(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(8);
        ascii(out, extended ? "\"});\n" : ");\n");
        return out;
    }

    /**
     * The bytes at the end of {@code in} to hold back: the final body loses one trailing {@code \r\n} or {@code \n};
     * before the end, a trailing {@code \r} is held too, as a {@code \n} may complete it.
     */
    private static int trailingNewline(ByteBuf in, boolean last) {
        int n = in.readableBytes();
        int end = in.writerIndex();
        if (n >= 1 && in.getByte(end - 1) == '\n') {
            return n >= 2 && in.getByte(end - 2) == '\r' ? 2 : 1;
        }
        return !last && n >= 1 && in.getByte(end - 1) == '\r' ? 1 : 0;
    }

    /** A relayed response's headers as an object: sorted, the first value of each exactly-spelled name, "" as null. */
    private static void writeFirstValues(ByteBuf out, HttpHeaders headers) {
        TreeMap<String, String> first = new TreeMap<>();
        for (Map.Entry<String, String> h : headers) {
            first.putIfAbsent(h.getKey(), h.getValue());
        }
        out.writeByte('{');
        boolean comma = false;
        for (Map.Entry<String, String> h : first.entrySet()) {
            if (comma) {
                out.writeByte(',');
            }
            comma = true;
            JsonpText.appendQuoted(out, h.getKey());
            out.writeByte(':');
            if (h.getValue().isEmpty()) {
                ascii(out, "null");
            } else {
                JsonpText.appendQuoted(out, h.getValue());
            }
        }
        out.writeByte('}');
    }

    // ---- a held response, whole -------------------------------------------------------------------------------

    /** The body of the wrapping answer for a held response; {@code headers} without Content-Length. */
    ByteBuf held(ByteBufAllocator alloc, int code, String reason, HttpHeaders headers, ByteBuf body) {
        ByteBuf out = alloc.buffer(body.readableBytes() + 64);
        out.writeBytes("/**/".getBytes(StandardCharsets.US_ASCII)).writeBytes(callback).writeByte('(');
        ByteBuf in = body.duplicate();
        if (extended) {
            ascii(out, "{\"body\":\"");
            JsonpText.append(out, in, false);
            ascii(out, "\",\"code\":" + code + ",\"headers\":");
            writeMergedValues(out, headers);
            ascii(out, ",\"reason\":");
            JsonpText.appendQuoted(out, reason);
            out.writeByte('}');
        } else {
            body(out, in, true);
        }
        ascii(out, ");\n");
        return out;
    }

    /** A held response's headers as an object: sorted, one entry per name (first spelling), values joined. */
    private static void writeMergedValues(ByteBuf out, HttpHeaders headers) {
        TreeMap<String, List<String>> byName = new TreeMap<>();
        TreeMap<String, String> spelling = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : headers) {
            String name = spelling.computeIfAbsent(h.getKey(), k -> k);
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue());
        }
        out.writeByte('{');
        boolean comma = false;
        for (Map.Entry<String, List<String>> h : byName.entrySet()) {
            if (comma) {
                out.writeByte(',');
            }
            comma = true;
            JsonpText.appendQuoted(out, h.getKey());
            out.writeByte(':');
            JsonpText.appendQuoted(out, String.join(", ", h.getValue()));
        }
        out.writeByte('}');
    }

    private static void ascii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }
}
