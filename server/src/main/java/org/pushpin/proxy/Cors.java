package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CORS headers {@code auto_cross_origin} adds to a response, as Pushpin 1.36 computes them: each only when the
 * response does not carry it already, so an origin keeps control of any of them. A preflight is not answered here:
 * it goes to the origin like any request, and its answer gets these headers (the requested method and headers are
 * echoed).
 */
final class Cors {
    /** Response headers a browser exposes to scripts anyway (CORS "simple response headers"), plus Content-Length. */
    private static final String[] SIMPLE = {"Cache-Control", "Content-Language", "Content-Length", "Content-Type",
        "Expires", "Last-Modified", "Pragma"};
    private static final String ALL_METHODS = "OPTIONS, HEAD, GET, POST, PUT, DELETE";

    private Cors() {
    }

    /**
     * Adds the missing Access-Control-* headers to {@code response}, in Pushpin's order. Call it on the headers as
     * the client will see them, framing aside (hop-by-hop headers removed, Content-Length may be there or not).
     */
    static void apply(HttpHeaders request, HttpHeaders response) {
        if (!response.contains("Access-Control-Allow-Methods")) {
            String method = request.get("Access-Control-Request-Method");
            response.add("Access-Control-Allow-Methods", method == null || method.isEmpty() ? ALL_METHODS : method);
        }
        if (!response.contains("Access-Control-Allow-Headers")) {
            List<String> asked = new ArrayList<>();
            for (String value : request.getAll("Access-Control-Request-Headers")) {
                for (String name : value.split(",")) {
                    String n = trim(name);
                    if (!n.isEmpty()) {
                        asked.add(n);
                    }
                }
            }
            if (!asked.isEmpty()) {
                response.add("Access-Control-Allow-Headers", String.join(", ", asked));
            }
        }
        if (!response.contains("Access-Control-Expose-Headers")) {
            List<String> exposed = exposable(response);
            if (!exposed.isEmpty()) {
                response.add("Access-Control-Expose-Headers", String.join(", ", exposed));
            }
        }
        if (!response.contains("Access-Control-Allow-Credentials")) {
            response.add("Access-Control-Allow-Credentials", "true");
        }
        if (!response.contains("Access-Control-Allow-Origin")) {
            String origin = request.get("Origin");
            // with credentials allowed, a browser ignores "*"; the echo is what makes credentialed requests work
            response.add("Access-Control-Allow-Origin", origin == null || origin.isEmpty() ? "*" : origin);
        }
        if (!response.contains("Access-Control-Max-Age")) {
            response.add("Access-Control-Max-Age", "3600");
        }
    }

    /** The names of the response's headers a script could not read otherwise, once each, in order of appearance. */
    private static List<String> exposable(HttpHeaders response) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : response) {
            String name = h.getKey();
            if (!isSimple(name) && !startsWithIgnoreCase(name, "Access-Control-") && !startsWithIgnoreCase(name, "Grip-")
                    && !containsIgnoreCase(out, name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Trims ASCII whitespace only (as Qt's {@code QByteArray::trimmed}): header values are byte strings. */
    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isSimple(String name) {
        for (String s : SIMPLE) {
            if (s.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static boolean containsIgnoreCase(List<String> names, String name) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
