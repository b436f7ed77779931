package org.pushpin.grip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instruction while it is being read: the header pass fills it, the JSON pass amends it, {@link #build} applies
 * defaults and limits. Mirrors the order in which Pushpin 1.36 overrides one source with another.
 */
final class InstructDraft {
    /** Origin headers the client never sees relayed; the server frames the body itself. */
    private static final List<String> HOP_HEADERS =
            List.of("Connection", "Keep-Alive", "Content-Encoding", "Transfer-Encoding", "Content-Length");

    HoldMode holdMode = HoldMode.NONE;
    final List<Channel> channels = new ArrayList<>();
    int timeout = -1;
    List<String> exposeHeaders = List.of();
    KeepAlive.Mode keepAliveMode;
    byte[] keepAliveData = new byte[0];
    int keepAliveTimeout = -1;
    final Map<String, String> meta = new LinkedHashMap<>();
    GripStatus status;
    NextLink nextLink;
    java.net.URI goneLink;

    int code;
    String reason;
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    /** Null after the JSON pass cleared it and gave no body (see {@link #build}). */
    byte[] body;
    boolean json;

    Instruct build(int maxSubscriptions) throws InstructException {
        if (json && body == null && holdMode == HoldMode.NONE && nextLink == null) {
            // 1.36 quirk, verified: a JSON instruct without hold, link and response body is answered 502, because
            // the handler runs the (empty) content filter stack over a null body and reports it as a filter error.
            throw new InstructException("filter error: ");
        }
        List<String> warnings = new ArrayList<>();
        List<Channel> kept = channels;
        if (maxSubscriptions >= 0 && channels.size() > maxSubscriptions) {
            kept = channels.subList(0, maxSubscriptions);
            warnings.add("too many subscriptions: " + channels.size() + " channels given, " + maxSubscriptions
                    + " kept (connection_subscription_max)");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> h : headers) {
            if (HOP_HEADERS.stream().noneMatch(n -> n.equalsIgnoreCase(h.getKey()))) {
                out.add(h);
            }
        }
        String finalReason = reason == null || reason.isEmpty() ? StatusReasons.reason(code) : reason;
        ClientResponse response = new ClientResponse(code, finalReason, out, body == null ? new byte[0] : body);
        KeepAlive keepAlive = keepAliveTimeout < 0 ? null
                : new KeepAlive(keepAliveData, Math.max(keepAliveTimeout, 1),
                        // A JSON keep-alive has no mode; 1.36 never restarts its timer, i.e. interval.
                        keepAliveMode == null ? KeepAlive.Mode.INTERVAL : keepAliveMode);
        int holdTimeout = Math.max(timeout < 0 ? Instruct.DEFAULT_TIMEOUT : timeout, Instruct.MINIMUM_TIMEOUT);
        return new Instruct(holdMode, kept, holdTimeout, keepAlive, nextLink, goneLink, status,
                exposeHeaders.isEmpty() ? null : exposeHeaders, meta, response, warnings);
    }
}
