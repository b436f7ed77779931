package org.pushpin.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three publish formats (docs/publishing.md#formats), checked in Pushpin 1.36's order with its texts. Only
 * {@code send} reads the payload fields: a {@code hint} or {@code close} ignores everything else, bad values included
 * (for ws-message {@code close} only {@code code} and {@code reason} are read).
 */
final class FormatParser {
    private static final String RESPONSE = "'http-response'";
    private static final String STREAM = "'http-stream'";
    private static final String WS = "'ws-message'";
    private static final byte[] EMPTY = new byte[0];

    private FormatParser() {
    }

    static HttpResponseFormat httpResponse(JsonNode in) throws PublishFormatException {
        Action action = action(in, RESPONSE);
        if (action != Action.SEND) {
            return new HttpResponseFormat(action, 200, null, List.of(), EMPTY, null, List.of());
        }
        int code = 200;
        JsonNode vcode = in.get("code");
        if (vcode != null) {
            Integer x = QtConvert.toInt(vcode);
            if (x == null) {
                throw PublishParser.wrongType(RESPONSE, "code");
            }
            if (x < 0 || x > 999) {
                throw PublishFormatException.invalid(RESPONSE + " contains 'code' with invalid value");
            }
            code = x;
        }
        String reason = PublishParser.optionalString(in, RESPONSE, "reason");
        if (reason != null && reason.isEmpty()) {
            reason = null; // Pushpin substitutes the standard phrase for an empty one
        }
        List<Map.Entry<String, String>> headers = headers(in);
        List<String> filters = contentFilters(in, RESPONSE);
        byte[] body = null;
        JsonNode patch = null;
        if (in.has("body-bin")) {
            body = QtConvert.fromBase64(PublishParser.optionalString(in, RESPONSE, "body-bin"));
        } else if (in.has("body")) {
            body = content(in, RESPONSE, "body");
        } else if (in.has("body-patch")) {
            patch = in.get("body-patch");
            if (!patch.isArray()) {
                throw PublishParser.wrongType(RESPONSE, "body-patch");
            }
            patch = patch.deepCopy();
        } else {
            throw PublishFormatException.invalid(RESPONSE + " does not contain 'body', 'body-bin', or 'body-patch'");
        }
        return new HttpResponseFormat(action, code, reason, headers, body, patch, filters);
    }

    static HttpStreamFormat httpStream(JsonNode in) throws PublishFormatException {
        Action action = action(in, STREAM);
        if (action != Action.SEND) {
            return new HttpStreamFormat(action, EMPTY, List.of());
        }
        List<String> filters = contentFilters(in, STREAM);
        byte[] content;
        if (in.has("content-bin")) {
            content = QtConvert.fromBase64(PublishParser.optionalString(in, STREAM, "content-bin"));
        } else if (in.has("content")) {
            content = content(in, STREAM, "content");
        } else {
            throw PublishFormatException.invalid(STREAM + " does not contain 'content' or 'content-bin'");
        }
        return new HttpStreamFormat(action, content, filters);
    }

    static WsMessageFormat wsMessage(JsonNode in) throws PublishFormatException {
        Action action = action(in, WS);
        if (action == Action.CLOSE) {
            int code = -1;
            JsonNode vcode = in.get("code");
            if (vcode != null) {
                Integer x = QtConvert.toInt(vcode);
                if (x == null) {
                    throw PublishParser.wrongType(WS, "code");
                }
                if (x < 0) {
                    throw PublishFormatException.invalid(WS + " contains 'code' with invalid value");
                }
                code = x;
            }
            String reason = PublishParser.optionalString(in, WS, "reason");
            return new WsMessageFormat(action, WsMessageFormat.Type.TEXT, EMPTY, code,
                    reason == null || reason.isEmpty() ? null : reason, List.of());
        }
        if (action == Action.HINT || action == Action.REFRESH) {
            return new WsMessageFormat(action, WsMessageFormat.Type.TEXT, EMPTY, -1, null, List.of());
        }
        WsMessageFormat.Type type = wsType(PublishParser.optionalString(in, WS, "type"));
        List<String> filters = contentFilters(in, WS);
        byte[] content = EMPTY;
        if (in.has("content-bin")) {
            content = QtConvert.fromBase64(PublishParser.optionalString(in, WS, "content-bin"));
            type = type == null ? WsMessageFormat.Type.BINARY : type;
        } else if (in.has("content")) {
            content = content(in, WS, "content");
            type = type == null ? WsMessageFormat.Type.TEXT : type;
        } else if (type == null || type == WsMessageFormat.Type.TEXT || type == WsMessageFormat.Type.BINARY) {
            throw PublishFormatException.invalid(WS + " does not contain 'content' or 'content-bin'");
        }
        return new WsMessageFormat(action, type, content, -1, null, filters);
    }

    private static WsMessageFormat.Type wsType(String s) throws PublishFormatException {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "text" -> WsMessageFormat.Type.TEXT;
            case "binary" -> WsMessageFormat.Type.BINARY;
            case "ping" -> WsMessageFormat.Type.PING;
            case "pong" -> WsMessageFormat.Type.PONG;
            default -> throw PublishFormatException.invalid(WS + " contains 'type' with unknown value");
        };
    }

    /**
     * Checks the object and reads {@code action}. An unknown action fails with an empty detail, as in 1.36.
     * {@code refresh} (Pushpin 1.38+) is read in every format, as Pushpin reads it; only WebSocket-over-HTTP
     * connections act on it, HTTP holds ignore it.
     */
    private static Action action(JsonNode in, String owner) throws PublishFormatException {
        if (!in.isObject()) {
            throw PublishFormatException.invalid(owner + " is not an object");
        }
        String action = PublishParser.optionalString(in, owner, "action");
        if (action == null || action.equals("send")) {
            return Action.SEND;
        }
        return switch (action) {
            case "hint" -> Action.HINT;
            case "close" -> Action.CLOSE;
            case "refresh" -> Action.REFRESH;
            default -> throw PublishFormatException.invalid("");
        };
    }

    private static byte[] content(JsonNode in, String owner, String key) throws PublishFormatException {
        JsonNode v = in.get(key);
        if (!v.isTextual()) {
            throw PublishParser.wrongType(owner, key);
        }
        return PublishParser.utf8(v.textValue());
    }

    private static List<String> contentFilters(JsonNode in, String owner) throws PublishFormatException {
        JsonNode v = in.get("content-filters");
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw PublishParser.wrongType(owner, "content-filters");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode f : v) {
            if (!f.isTextual()) {
                throw PublishFormatException.invalid("content-filters contains element with wrong type");
            }
            out.add(f.textValue());
        }
        return List.copyOf(out);
    }

    /** {@code headers}: a list of {@code [name, value]} pairs in order, or an object (then in key order). */
    private static List<Map.Entry<String, String>> headers(JsonNode in) throws PublishFormatException {
        JsonNode v = in.get("headers");
        if (v == null) {
            return List.of();
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode h : v) {
                if (!h.isArray()) {
                    throw PublishFormatException.invalid("headers contains element with wrong type");
                }
                if (h.size() != 2) {
                    throw PublishFormatException.invalid("headers contains list with wrong number of elements");
                }
                if (!h.get(0).isTextual()) {
                    throw PublishFormatException.invalid("header contains name element with wrong type");
                }
                if (!h.get(1).isTextual()) {
                    throw PublishFormatException.invalid("header contains value element with wrong type");
                }
                out.add(new SimpleImmutableEntry<>(h.get(0).textValue(), h.get(1).textValue()));
            }
        } else if (v.isObject()) {
            for (Map.Entry<String, JsonNode> e : PublishParser.sorted(v)) {
                if (!e.getValue().isTextual()) {
                    throw PublishFormatException.invalid("headers contains '" + e.getKey() + "' with wrong type");
                }
                out.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue().textValue()));
            }
        } else {
            throw PublishParser.wrongType(RESPONSE, "headers");
        }
        return List.copyOf(out);
    }
}
