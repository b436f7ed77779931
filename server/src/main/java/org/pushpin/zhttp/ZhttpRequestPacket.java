package org.pushpin.zhttp;

import java.util.List;
import java.util.Map;

/**
 * A packet from the requesting side of a ZHTTP session to the answering one. Only the fields a proxy sends are
 * modelled; absent ones are null (or -1, false) and left out of the encoding.
 *
 * @param from    the sender's instance id: where the answerer addresses its replies
 * @param id      the request id, unique per sender
 * @param seq     the packet's number in the session from 0; -1 in request mode, which has no sequence
 * @param type    {@link ZhttpType#DATA} for the request and its body, else a control packet
 * @param method  the request method (first packet only)
 * @param uri     the full URL asked for (first packet only)
 * @param headers the request headers in order (first packet only)
 * @param body    body bytes, or null
 * @param more    more body follows
 * @param stream  the answer may come in parts (stream mode's first packet)
 * @param credits body bytes the answerer may send now, -1 for none
 * @param maxSize the largest answer body taken (request mode), -1 for none
 * @param multi   the sender takes packets for several ids at once (stream mode)
 * @param ignorePolicies the target is trusted: an HTTP client service skips its address policy (first packet)
 */
public record ZhttpRequestPacket(
        byte[] from,
        byte[] id,
        int seq,
        ZhttpType type,
        String method,
        String uri,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean more,
        boolean stream,
        int credits,
        int maxSize,
        boolean multi,
        boolean ignorePolicies) {

    /** A control packet (credit, keep-alive, cancel) of a stream-mode session. */
    public static ZhttpRequestPacket control(byte[] from, byte[] id, int seq, ZhttpType type, int credits) {
        return new ZhttpRequestPacket(from, id, seq, type, null, null, null, null, false, false, credits, -1, false,
                false);
    }

    /** A body part (or the empty end of the body) of a stream-mode session. */
    public static ZhttpRequestPacket body(byte[] from, byte[] id, int seq, byte[] body, boolean more, int credits) {
        return new ZhttpRequestPacket(from, id, seq, ZhttpType.DATA, null, null, null, body, more, false, credits, -1,
                false, false);
    }
}
