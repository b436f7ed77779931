package org.pushpin.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The JSON of one {@code POST /publish}: one item per listed room (a room may be listed several times), each
 * carrying the same stamp. For HTTP holds in two formats: {@code http-stream} content {@code data: @STAMP\n\n} (an
 * SSE event, also fine as a plain stream chunk) and {@code http-response} body {@code @STAMP\n} for long-poll
 * clients; for WebSockets as {@code ws-message} content {@code @STAMP}.
 */
public final class PublishBody {
    private final boolean websocket;

    PublishBody(Mode mode) {
        this.websocket = mode.websocket();
    }

    /** Items for rooms {@code first .. first+count-1}, each {@code repeat} times, stamped now. */
    byte[] rooms(int first, int count, int repeat) {
        return items(first, count, repeat, Long.toString(Stamps.now()));
    }

    /**
     * One HTTP item (both formats) to each of rooms {@code 0 .. rooms-1} carrying {@code value} where a stamp goes:
     * the soak ({@code org.pushpin.bench.soak}) numbers its messages instead of stamping them.
     */
    public static byte[] numbered(int rooms, long value) {
        return new PublishBody(Mode.SSE).items(0, rooms, 1, Long.toString(value));
    }

    private byte[] items(int first, int count, int repeat, String stamp) {
        StringBuilder sb = new StringBuilder(32 + count * repeat * 130).append("{\"items\":[");
        for (int k = 0; k < repeat; k++) {
            for (int r = first; r < first + count; r++) {
                item(sb, r);
                if (websocket) {
                    sb.append("\"ws-message\":{\"content\":\"@").append(stamp).append("\"}}}");
                } else {
                    sb.append("\"http-stream\":{\"content\":\"data: @").append(stamp)
                            .append("\\n\\n\"},\"http-response\":{\"body\":\"@").append(stamp).append("\\n\"}}}");
                }
            }
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A {@value WsClient#PROBE} WebSocket message to each listed room. */
    static byte[] probe(Collection<Integer> rooms) {
        StringBuilder sb = new StringBuilder(32 + rooms.size() * 80).append("{\"items\":[");
        for (int r : rooms) {
            item(sb, r);
            sb.append("\"ws-message\":{\"content\":\"").append(WsClient.PROBE).append("\"}}}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void item(StringBuilder sb, int room) {
        if (sb.charAt(sb.length() - 1) != '[') {
            sb.append(',');
        }
        sb.append("{\"channel\":\"room-").append(room).append("\",\"formats\":{");
    }
}
