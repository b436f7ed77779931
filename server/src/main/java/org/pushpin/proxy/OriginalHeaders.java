package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A route's {@code orig_headers}: the origin also gets the client's own headers, each under a marked name, so that it
 * can tell them from the ones the proxy set (docs/configuration.md#routes-file). Pushpin 1.36's rules: the copies are
 * of the headers as the client sent them with the route's {@code header=} props applied, before anything else is
 * changed (hop-by-hop, {@code Grip-*} and {@code X-Forwarded-*} handling); a header the client already marked is
 * moved to the end as it is; a header named in {@code [proxy] orig_headers_need_mark} gets no copy (only a copy the
 * client marked itself gets through, which is how a trusted front proxy says a value is genuine). Copies are made
 * only for untrusted clients (a trusted client is a proxy that did this already); on a route without
 * {@code orig_headers} marked headers from the client are dropped.
 */
final class OriginalHeaders {
    /** The mark: a prefix no real header has. */
    static final String MARK = "eb9bf0f5-";

    private OriginalHeaders() {
    }

    static boolean isMarked(CharSequence name) {
        return name.length() >= MARK.length() && name.toString().regionMatches(true, 0, MARK, 0, MARK.length());
    }

    /**
     * The marked headers to append, in the client's order.
     *
     * @param client       the client's headers
     * @param routeHeaders the route's {@code header=} props, in the order they apply (see {@code Route#headers})
     * @param needMark     {@code orig_headers_need_mark} names
     */
    static List<Map.Entry<String, String>> copies(HttpHeaders client, List<Map.Entry<String, String>> routeHeaders,
                                                  List<String> needMark) {
        List<Map.Entry<String, String>> in = new ArrayList<>(client.size() + routeHeaders.size());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = client.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            in.add(Map.entry(e.getKey().toString(), e.getValue().toString()));
        }
        for (Map.Entry<String, String> h : routeHeaders) {
            in.removeIf(e -> e.getKey().equalsIgnoreCase(h.getKey()));
            if (!h.getValue().isEmpty()) {
                in.add(h);
            }
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(in.size());
        for (Map.Entry<String, String> e : in) {
            if (isMarked(e.getKey())) {
                out.add(e);
            } else if (!contains(needMark, e.getKey())) {
                out.add(Map.entry(MARK + e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    private static boolean contains(List<String> names, String name) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
