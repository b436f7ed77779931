package org.pushpin.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.pushpin.message.PublishItem;

/**
 * A control API response, and what to do once it is on its way.
 *
 * @param contentType  null for {@code text/plain}
 * @param extraHeaders headers before {@code Content-Type} (Pushpin's order: {@code Allow} first)
 * @param items        the {@code items=} count for the log line, or -1 for none
 * @param publish      items to hand to the publisher (before the response is written)
 * @param recover      whether to run {@code recover} (before the response is written)
 * @param headOnly     an answer to {@code HEAD}: the headers (with the body's {@code Content-Length}), no body
 * @param reportDrops  the publisher asked what became of the items ({@code ?report=drops}): this reply stands
 *                     only until that report replaces it
 * @param feedbackWait the publisher asked for delivery feedback ({@code ?feedback=1}, docs/delivery-feedback.md),
 *                     waiting at most this many ms for it; 0 when not asked
 */
record ControlReply(int code, String reason, String contentType, List<Map.Entry<String, String>> extraHeaders,
                    String body, int items, List<PublishItem> publish, boolean recover, boolean headOnly,
                    boolean reportDrops, long feedbackWait) {

    ControlReply(int code, String reason, String contentType, List<Map.Entry<String, String>> extraHeaders,
                 String body, int items, List<PublishItem> publish, boolean recover, boolean headOnly,
                 boolean reportDrops) {
        this(code, reason, contentType, extraHeaders, body, items, publish, recover, headOnly, reportDrops, 0);
    }

    ControlReply(int code, String reason, String contentType, List<Map.Entry<String, String>> extraHeaders,
                 String body, int items, List<PublishItem> publish, boolean recover, boolean headOnly) {
        this(code, reason, contentType, extraHeaders, body, items, publish, recover, headOnly, false);
    }

    ControlReply(int code, String reason, String contentType, List<Map.Entry<String, String>> extraHeaders,
                 String body, int items, List<PublishItem> publish, boolean recover) {
        this(code, reason, contentType, extraHeaders, body, items, publish, recover, false);
    }

    static ControlReply text(int code, String reason, String body) {
        return new ControlReply(code, reason, null, List.of(), body, -1, List.of(), false);
    }

    /** The whole response: status line, headers, body (none when {@link #headOnly}); {@code Connection: close}. */
    byte[] encode(boolean http10) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(128);
        head.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(code).append(' ').append(reason).append("\r\n");
        for (Map.Entry<String, String> h : extraHeaders) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Type: ").append(contentType != null ? contentType : "text/plain").append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (headOnly) {
            return headBytes;
        }
        byte[] out = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(content, 0, out, headBytes.length, content.length);
        return out;
    }
}
