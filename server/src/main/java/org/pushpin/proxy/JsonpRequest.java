package org.pushpin.proxy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON-P request (a GET a script tag can make) read as the request it stands for, as Pushpin 1.36 reads it: the
 * callback parameter names the function to wrap the answer in; {@code _method} (else the route's default method),
 * {@code _headers} (a JSON object of strings) and the body (the route's {@code jsonp_body} parameter, sent as
 * {@code application/json}, or {@code _body}) make the request sent to the origin. Those parameters leave the query;
 * the others stay as sent. The request's own headers follow, but Host and Accept ({@code *}{@code /*}).
 *
 * @param request  the request the origin is sent (its body, if any, is {@code body})
 * @param body     the request body, possibly empty
 * @param response how the answer is wrapped
 */
record JsonpRequest(HttpRequest request, byte[] body, JsonpResponse response) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A JSON-P request that cannot be made sense of; the client gets a 400 with this message. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The request {@code head} stands for, or null when it is no JSON-P request: not a GET, no callback parameter
     * (nor the body parameter with a default callback), or a body of its own (a script tag sends none).
     *
     * @throws Invalid when a JSON-P parameter is empty or malformed
     */
    static JsonpRequest parse(HttpRequest head, boolean hasBody, JsonpSettings settings) throws Invalid {
        if (!head.method().equals(HttpMethod.GET) || hasBody) {
            return null;
        }
        String uri = head.uri();
        int hash = uri.indexOf('#');
        String fragment = hash < 0 ? "" : uri.substring(hash);
        String target = hash < 0 ? uri : uri.substring(0, hash);
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        Query query = new Query(target.substring(q + 1));
        String bodyParam = settings.bodyParam();
        if (!query.has(settings.callbackParam())
                && (settings.defaultCallback() == null || bodyParam == null || !query.has(bodyParam))) {
            return null;
        }
        byte[] callback;
        if (query.has(settings.callbackParam())) {
            callback = query.take(settings.callbackParam(), "Invalid callback parameter.");
        } else {
            callback = settings.defaultCallback().getBytes(StandardCharsets.UTF_8);
        }
        String method = settings.defaultMethod();
        if (query.has("_method")) {
            method = new String(query.take("_method", "Invalid _method parameter."), StandardCharsets.ISO_8859_1);
            if (!isToken(method)) {
                throw new Invalid("Invalid _method parameter.");
            }
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        if (query.has("_headers")) {
            addJsonHeaders(headers, query.take("_headers", "Invalid _headers parameter."));
        }
        byte[] body = new byte[0];
        if (bodyParam != null) {
            if (query.has(bodyParam)) {
                body = query.take(bodyParam, "Invalid body parameter.");
                headers.remove("Content-Type");
                headers.add("Content-Type", "application/json");
            }
        } else if (query.has("_body")) {
            body = query.take("_body", "Invalid _body parameter.");
        }
        String host = head.headers().get("Host");
        if (host != null) {
            headers.add("Host", host);
        }
        headers.add("Accept", "*/*");
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = head.headers().iteratorCharSequence();
             it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            String name = h.getKey().toString();
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Accept")) {
                headers.add(name, h.getValue());
            }
        }
        if (body.length > 0) {
            headers.set("Content-Length", body.length);
        }
        String rest = query.remaining();
        String newUri = target.substring(0, q) + (rest == null ? "" : "?" + rest) + fragment;
        HttpRequest request = new DefaultHttpRequest(head.protocolVersion(), HttpMethod.valueOf(method), newUri,
                headers);
        return new JsonpRequest(request, body, new JsonpResponse(callback, settings.extended()));
    }

    /**
     * {@code _headers}: a JSON object of string values; Host and Accept are ignored (they are set anyway). A name
     * or value that cannot be sent as it is (not a token; CR, LF or NUL in the value) makes it invalid: Pushpin
     * 1.36 would send a broken or smuggled header line to the origin.
     */
    private static void addJsonHeaders(HttpHeaders headers, byte[] json) throws Invalid {
        JsonNode doc;
        try {
            doc = JSON.readTree(json);
        } catch (IOException e) {
            throw new Invalid("Invalid _headers parameter.");
        }
        if (doc == null || !doc.isObject()) {
            throw new Invalid("Invalid _headers parameter.");
        }
        TreeMap<String, String> sorted = new TreeMap<>(); // Pushpin adds them in key order
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new Invalid("Invalid _headers parameter.");
            }
            sorted.put(f.getKey(), f.getValue().textValue());
        }
        for (Map.Entry<String, String> h : sorted.entrySet()) {
            String name = h.getKey();
            String value = byteString(h.getValue());
            if (!isToken(name) || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf(0) >= 0) {
                throw new Invalid("Invalid _headers parameter.");
            }
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Accept")) {
                headers.add(name, value);
            }
        }
    }

    /** Text as Netty carries header values: its UTF-8 bytes, one char each. */
    private static String byteString(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /**
     * A query string as Pushpin's Qt reads it: {@code &}-separated items (empty ones too, but for one after a final
     * {@code &}), each a key and a value split at the first {@code =}. Keys are compared percent-decoded; values
     * are percent-decoded to bytes, a {@code %} not followed by two hex digits staying as it is.
     */
    private static final class Query {
        private final List<String[]> items = new ArrayList<>();

        Query(String query) {
            String[] parts = query.split("&", -1);
            int n = parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
            for (int i = 0; i < n; i++) {
                String item = parts[i];
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                String value = eq < 0 ? "" : item.substring(eq + 1);
                items.add(new String[] {item, new String(decode(key), StandardCharsets.UTF_8), value});
            }
        }

        boolean has(String key) {
            for (String[] i : items) {
                if (i[1].equals(key)) {
                    return true;
                }
            }
            return false;
        }

        /** The first value of {@code key}, decoded, every item of that key removed; empty is {@code invalid}. */
        byte[] take(String key, String invalid) throws Invalid {
            byte[] value = null;
            for (Iterator<String[]> it = items.iterator(); it.hasNext(); ) {
                String[] i = it.next();
                if (i[1].equals(key)) {
                    if (value == null) {
                        value = decode(i[2]);
                    }
                    it.remove();
                }
            }
            if (value == null || value.length == 0) {
                throw new Invalid(invalid);
            }
            return value;
        }

        /**
         * The query left, each item as sent, without leading {@code &}s (as 1.36 sends it); null when no item is
         * left (the {@code ?} goes too), "" when only empty ones are.
         */
        String remaining() {
            if (items.isEmpty()) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            for (String[] i : items) {
                if (out.length() > 0 || !i[0].isEmpty()) {
                    out.append(out.length() > 0 ? "&" : "").append(i[0]);
                }
            }
            return out.toString();
        }

        private static byte[] decode(String s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                int hi = c == '%' && i + 2 < s.length() ? hex(s.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
                if (lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                } else {
                    out.write(c); // the request-target is a byte string: one octet per char
                }
            }
            return out.toByteArray();
        }

        private static int hex(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
