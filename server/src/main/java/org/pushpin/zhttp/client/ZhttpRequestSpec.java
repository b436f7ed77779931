package org.pushpin.zhttp.client;

import java.util.List;
import java.util.Map;

/**
 * What one ZHTTP request asks: method, the full URL, the headers and the whole body (the proxy collects the
 * client's body first; the request mode sends it in one packet, the stream mode as the service's credits allow),
 * and whether the target is trusted ({@code ignore-policies}, as Pushpin sends for targets not {@code untrusted}).
 */
public record ZhttpRequestSpec(String method, String uri, List<Map.Entry<String, String>> headers, byte[] body,
                               boolean ignorePolicies) {
}
