package org.pushpin.zhttp.client;

import java.util.List;
import java.util.Map;

/**
 * Hears what became of one ZHTTP request. Called on the service's thread, one call at a time, in order: a head,
 * then body parts until the last, or a failure at any point (and nothing after it).
 */
public interface ZhttpListener {
    void onHead(int code, String reason, List<Map.Entry<String, String>> headers);

    /** A part of the body; {@code last} ends the response. The receiver returns credit through the call. */
    void onBody(byte[] body, boolean last);

    void onFailure(ZhttpFailure failure, String detail);
}
