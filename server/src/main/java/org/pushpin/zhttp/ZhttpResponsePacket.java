package org.pushpin.zhttp;

import java.util.List;
import java.util.Map;

/**
 * A packet from the answering side of a ZHTTP session. Several ids may share one packet ({@code multi}); each id
 * comes with its own sequence number.
 *
 * @param from      the answerer's address for later packets of the session (stream mode), or null
 * @param ids       the sessions the packet is for (at least one)
 * @param type      what the packet is
 * @param condition an error's condition ({@code remote-connection-failed}, ...), or null
 * @param credits   request body bytes the requester may now send, -1 for none
 * @param more      more response body follows
 * @param code      the response status (first data packet), -1 when absent
 * @param reason    the status text, or null
 * @param headers   the response headers (first data packet), or null
 * @param body      body bytes, never null (empty when absent)
 */
public record ZhttpResponsePacket(
        byte[] from,
        List<Id> ids,
        ZhttpType type,
        String condition,
        int credits,
        boolean more,
        int code,
        String reason,
        List<Map.Entry<String, String>> headers,
        byte[] body) {

    /** One session a packet is for: its request id and the packet's number in it (-1 when absent). */
    public record Id(byte[] id, int seq) {
    }
}
