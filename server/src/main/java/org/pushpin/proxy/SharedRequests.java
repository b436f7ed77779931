package org.pushpin.proxy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pushpin.metrics.ServerMetrics;

/**
 * Identical requests in flight at the same time, answered by one origin request (Pushpin's request sharing): every
 * request of a route when {@code [handler] share_all} is on, and always the next-link GETs of held streams. The
 * first request of a key asks the origin and leads a {@link SharedRequest}; those arriving while its answer is
 * awaited join it and get the same answer. Shared across event loops (a herd lands on all of them); an entry lives
 * only while its origin request does, so nothing is kept for idle connections.
 */
final class SharedRequests {
    private final Map<String, SharedRequest> inFlight = new ConcurrentHashMap<>();
    private final ServerMetrics metrics;

    SharedRequests(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Joins the request in flight under {@code key}, or, when there is none, registers a new one that {@code
     * exchange} leads. Returns the new one to lead, or null when {@code exchange} joined and awaits the answer.
     */
    SharedRequest joinOrLead(String key, ProxyExchange exchange) {
        while (true) {
            SharedRequest in = inFlight.get(key);
            if (in == null) {
                SharedRequest led = new SharedRequest(this, key);
                if (inFlight.putIfAbsent(key, led) == null) {
                    return led;
                }
            } else if (in.follow(exchange)) {
                metrics.requestShared();
                return null;
            } else {
                inFlight.remove(key, in); // closed an instant ago: a new one takes its place
            }
        }
    }

    /**
     * A new request under {@code key} that {@code followers} already follow (its leader is to be given it), or null
     * when another one leads that key already.
     */
    SharedRequest handOver(String key, List<ProxyExchange> followers) {
        SharedRequest next = new SharedRequest(this, key);
        for (ProxyExchange f : followers) {
            next.follow(f);
        }
        if (inFlight.putIfAbsent(key, next) != null) {
            return null;
        }
        metrics.requestShared(followers.size());
        return next;
    }

    /** No more joins for {@code request}: its answer is known (or it was given up). */
    void remove(SharedRequest request) {
        inFlight.remove(request.key(), request);
    }

    /**
     * The sharing key of what {@code request} asks the origin now, or null when it is not shared: a next link's GET
     * always ({@link #linkKey}); under {@code share_all}, a request without a body, or its GRIP retry (keyed with
     * the headers the retry adds).
     */
    static String keyOf(ClientRequest request, boolean shareAll) {
        URI link = request.link();
        if (link != null) {
            return linkKey(link, request.extraHeaders());
        }
        if (!shareAll || !request.complete() || request.bytes() > 0) {
            return null;
        }
        String key = requestKey(request.head().method().name(), request.info().url(), request.passthrough());
        List<Map.Entry<String, String>> extra = request.extraHeaders();
        return extra == null ? key : key + "|retry" + sorted(extra, null);
    }

    /**
     * The key of a request under {@code share_all}: its method and full URL (query included), as Pushpin keys them,
     * and whether its answer is relayed as it is (a trusted client or a no_grip route) or read as GRIP.
     */
    static String requestKey(String method, String url, boolean passthrough) {
        return (passthrough ? "p|" : "g|") + method + '|' + url;
    }

    /**
     * The key of a next link's GET: the link without its query (clients may differ there; the Grip-Last headers
     * say what is wanted) and its Grip-Last headers, sorted, as Pushpin keys them.
     */
    static String linkKey(URI link, List<Map.Entry<String, String>> extraHeaders) {
        StringBuilder key = new StringBuilder("auto|");
        key.append(link.getScheme()).append("://").append(link.getRawAuthority());
        key.append(link.getRawPath() == null ? "" : link.getRawPath());
        return key.append(sorted(extraHeaders, "Grip-Last")).toString();
    }

    /** The headers named {@code name} (all when null), each as {@code |name: value}, sorted. */
    private static String sorted(List<Map.Entry<String, String>> headers, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (name == null || h.getKey().equalsIgnoreCase(name)) {
                values.add('|' + h.getKey().toLowerCase(Locale.ROOT) + ": " + h.getValue());
            }
        }
        values.sort(null);
        return String.join("", values);
    }
}
