package org.pushpin.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The JSON of one {@code POST /publish}: one item per listed room (a room may be listed several times), each
 * carrying the same stamp in both formats: {@code http-stream} content {@code data: @STAMP\n\n} (an SSE event, also
 * fine as a plain stream chunk) and {@code http-response} body {@code @STAMP\n} for long-poll clients.
 */
final class PublishBody {
    private PublishBody() {
    }

    /** Items for rooms {@code first .. first+count-1}, each {@code repeat} times, stamped now. */
    static byte[] rooms(int first, int count, int repeat) {
        String stamp = Long.toString(Stamps.now());
        StringBuilder sb = new StringBuilder(32 + count * repeat * 130).append("{\"items\":[");
        for (int k = 0; k < repeat; k++) {
            for (int r = first; r < first + count; r++) {
                if (sb.charAt(sb.length() - 1) != '[') {
                    sb.append(',');
                }
                sb.append("{\"channel\":\"room-").append(r)
                        .append("\",\"formats\":{\"http-stream\":{\"content\":\"data: @").append(stamp)
                        .append("\\n\\n\"},\"http-response\":{\"body\":\"@").append(stamp).append("\\n\"}}}");
            }
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
