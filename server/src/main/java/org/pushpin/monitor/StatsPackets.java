package org.pushpin.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pushpin.tnet.TnetString;
import org.zeromq.ZMQ;

/**
 * The stats socket's wire format: each packet one frame, {@code <type> T<tnetstring dict>}
 * ({@code stats_format=tnetstring}) or {@code <type> J<JSON object>}, so a subscriber filters by type prefix. Every
 * packet names its sender ({@code from}). Used on the stats thread only (a ZeroMQ socket has one owner).
 */
final class StatsPackets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZMQ.Socket socket;
    private final String from;
    private final boolean json;

    StatsPackets(ZMQ.Socket socket, String from, boolean json) {
        this.socket = socket;
        this.from = from;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A new packet body with {@code from} set. */
    Map<String, Object> packet() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", from);
        return p;
    }

    /** Sends at once; PUB never blocks: over the high-water mark the packet is dropped, as Pushpin's is. */
    void send(String type, Map<String, Object> packet) {
        byte[] body;
        char kind;
        if (json) {
            try {
                body = JSON.writeValueAsBytes(packet);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            kind = 'J';
        } else {
            body = TnetString.encode(packet);
            kind = 'T';
        }
        byte[] head = (type + " " + kind).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        socket.send(frame, ZMQ.DONTWAIT);
    }
}
