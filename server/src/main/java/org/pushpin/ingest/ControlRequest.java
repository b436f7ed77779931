package org.pushpin.ingest;

import java.util.List;
import java.util.Map;

/**
 * One request to the control API, as Pushpin's minimal HTTP server reads it: the method and URI exactly as sent
 * (bytes as ISO-8859-1 chars), headers in order with names as sent, the body.
 *
 * @param http10 whether the request line ended in exactly {@code HTTP/1.0} (the response then says 1.0 too)
 */
record ControlRequest(String method, String uri, boolean http10, List<Map.Entry<String, String>> headers,
                      byte[] body) {
}
