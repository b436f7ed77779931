package org.pushpin.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.pushpin.config.ForwardedProtoMode;
import org.pushpin.config.ProxyConfig;
import org.pushpin.config.XffPolicy;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;
import org.pushpin.routing.Target;

/**
 * The headers Pushpin puts on a forwarded request (docs/grip.md#requests-to-the-origin), from the client's own
 * headers.
 */
final class OriginRequestHeaders {
    static final String GRIP_FEATURE = "status, session, link:next, filter:skip-self, filter:skip-users, "
            + "filter:require-sub, filter:build-id, filter:var-subst";

    private static final String[] HOP_BY_HOP = {
        "Connection", "Keep-Alive", "Accept-Encoding", "Content-Encoding", "Transfer-Encoding", "Expect"
    };

    private OriginRequestHeaders() {
    }

    /**
     * @param clientIp     the client's address for X-Forwarded-For, or null (unix sockets)
     * @param tls          whether the request counts as TLS (connection, or accepted X-Forwarded-Proto)
     * @param trusted      the client presented a valid Grip-Sig signed with upstream_key
     * @param gripSig      the Grip-Sig to add, or null
     */
    static HttpHeaders build(HttpHeaders client, ProxyConfig config, Route route, Target target, String clientIp,
                             boolean tls, boolean trusted, String gripSig) {
        String host = RouteRewrite.hostHeader(route, target, client.get(HttpHeaderNames.HOST));
        HttpHeaders out = new DefaultHttpHeaders();
        List<Map.Entry<String, String>> marked = route.origHeaders() && !trusted
                ? OriginalHeaders.copies(client, route.headers(), config.origHeadersNeedMark()) : null;
        // A trusted client's marked headers pass as they are on an orig_headers route; otherwise they are dropped
        // (or, with marked != null, moved to the end with the copies).
        boolean keepMarked = route.origHeaders() && trusted;
        boolean hostDone = false;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = client.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(e.getKey())) {
                // Host keeps its place; only one is sent.
                if (!hostDone) {
                    out.add(e.getKey(), host);
                    hostDone = true;
                }
                continue;
            }
            if (!keepMarked && OriginalHeaders.isMarked(e.getKey())) {
                continue;
            }
            out.add(e.getKey(), e.getValue());
        }
        if (!hostDone) {
            out.add("Host", host);
        }
        for (String name : HOP_BY_HOP) {
            out.remove(name);
        }
        if (config.acceptPushpinRoute()) {
            out.remove("Pushpin-Route");
        }
        if (!config.cdnLoop().isEmpty()) {
            cdnLoop(out, config.cdnLoop());
        }
        boolean gripEnabled = !route.noGrip();
        if (!trusted) {
            // Only a trusted client's own Grip-* headers reach the origin, even on a no_grip route (as 1.36).
            removeGripHeaders(out);
        }
        if (!trusted && gripEnabled) {
            if (gripSig != null) {
                out.set("Grip-Sig", gripSig);
            }
            out.set("Grip-Feature", GRIP_FEATURE);
        }
        forwardedProto(out, config, tls);
        forwardedFor(out, trusted ? config.xForwardedForTrusted() : config.xForwardedFor(), clientIp);

        for (Map.Entry<String, String> h : route.headers()) {
            if (h.getValue().isEmpty()) {
                out.remove(h.getKey());
            } else {
                out.set(h.getKey(), h.getValue());
            }
        }
        if (marked != null) {
            for (Map.Entry<String, String> h : marked) {
                out.add(h.getKey(), h.getValue());
            }
        }
        return out;
    }

    /**
     * {@code cdn_loop} (Pushpin 1.37, RFC 8586): the client's CDN-Loop entries, one header, with ours added last. No
     * loop detection, as in Pushpin: an origin or a CDN in front acts on it.
     */
    private static void cdnLoop(HttpHeaders out, String ours) {
        List<String> values = new ArrayList<>();
        for (String line : out.getAll("CDN-Loop")) {
            splitList(line, values);
        }
        values.add(ours);
        out.remove("CDN-Loop");
        out.add("CDN-Loop", String.join(", ", values));
    }

    /** Adds the elements of a comma-separated header value (commas inside quoted strings kept), trimmed. */
    static void splitList(String line, List<String> into) {
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                addTrimmed(line.substring(start, i), into);
                start = i + 1;
            }
        }
        if (start < line.length()) {
            addTrimmed(line.substring(start), into);
        }
    }

    private static void addTrimmed(String v, List<String> into) {
        String t = v.trim();
        if (!t.isEmpty()) {
            into.add(t);
        }
    }

    static void removeGripHeaders(HttpHeaders headers) {
        List<String> names = null;
        for (String name : headers.names()) {
            if (name.regionMatches(true, 0, "Grip-", 0, 5)) {
                if (names == null) {
                    names = new ArrayList<>();
                }
                names.add(name);
            }
        }
        if (names != null) {
            names.forEach(headers::remove);
        }
    }

    private static void forwardedProto(HttpHeaders out, ProxyConfig config, boolean tls) {
        ForwardedProtoMode mode = config.setXForwardedProtocol();
        if (mode == ForwardedProtoMode.OFF && !config.acceptXForwardedProtocol()) {
            return;
        }
        out.remove("X-Forwarded-Proto");
        out.remove("X-Forwarded-Protocol");
        if (tls && mode != ForwardedProtoMode.OFF) {
            out.set("X-Forwarded-Proto", "https");
            if (mode == ForwardedProtoMode.BOTH) {
                out.set("X-Forwarded-Protocol", "https");
            }
        }
    }

    private static void forwardedFor(HttpHeaders out, XffPolicy policy, String clientIp) {
        if (policy.isNone()) {
            return;
        }
        List<String> values = new ArrayList<>();
        for (String line : out.getAll("X-Forwarded-For")) {
            for (String v : line.split(",")) {
                String t = v.trim();
                if (!t.isEmpty()) {
                    values.add(t);
                }
            }
        }
        if (policy.truncate() >= 0 && values.size() > policy.truncate()) {
            values = new ArrayList<>(values.subList(values.size() - policy.truncate(), values.size()));
        }
        if (policy.append() && clientIp != null) {
            values.add(clientIp);
        }
        out.remove("X-Forwarded-For");
        if (!values.isEmpty()) {
            out.set("X-Forwarded-For", String.join(", ", values));
        }
    }

    /** Whether the client marked the request as TLS with X-Forwarded-Proto(col) (accept_x_forwarded_protocol). */
    static boolean clientSaysTls(HttpHeaders client) {
        for (String name : new String[] {"X-Forwarded-Proto", "X-Forwarded-Protocol"}) {
            String v = client.get(name);
            if (v != null && (v.trim().equalsIgnoreCase("https") || v.trim().equalsIgnoreCase("wss"))) {
                return true;
            }
        }
        return false;
    }
}
