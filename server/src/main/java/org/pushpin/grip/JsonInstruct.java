package org.pushpin.grip;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code application/grip-instruct} body (docs/grip.md#json-instruction-body), read with Qt's rules as 1.36 applies
 * them:
 * <ul>
 *   <li>only an object or array parses; trailing data is an error;</li>
 *   <li>a present {@code null} is a value of the wrong type, never "absent";</li>
 *   <li>integers ({@code code}, {@code timeout}) accept numbers (rounded half away from zero), numeric strings,
 *       booleans, and any other string as 0 ({@code QVariant::toInt});</li>
 *   <li>objects are walked in key order ({@code QVariantMap}), which orders {@code headers} given as an object.</li>
 * </ul>
 */
final class JsonInstruct {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonInstruct() {
    }

    static void apply(InstructDraft d, int originStatus, byte[] body) throws InstructException {
        if (originStatus != 200) {
            throw new InstructException("response code for application/grip-instruct content must be 200");
        }
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new InstructException("instruct must be an object");
        }
        d.json = true;
        if (root.has("hold")) {
            readHold(d, root.get("hold"));
        }
        d.headers = new ArrayList<>();
        d.body = null;
        if (root.has("response")) {
            JsonNode response = root.get("response");
            if (!response.isObject()) {
                throw new InstructException(""); // 1.36 fails here without a message (verified)
            }
            readResponse(d, response);
        }
    }

    private static JsonNode parse(byte[] body) throws InstructException {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root != null && (root.isObject() || root.isArray())) {
                return root;
            }
        } catch (java.io.IOException e) {
            // same message for every syntax error
        }
        throw new InstructException("failed to parse application/grip-instruct content as JSON");
    }

    private static void readHold(InstructDraft d, JsonNode hold) throws InstructException {
        if (!hold.isObject()) {
            throw new InstructException("instruct contains 'hold' with wrong type");
        }
        String mode = string(hold, "hold", "mode", false);
        if (mode == null || mode.equals("response")) {
            d.holdMode = HoldMode.RESPONSE;
        } else if (mode.equals("stream")) {
            d.holdMode = HoldMode.STREAM;
        } else {
            throw new InstructException("hold 'mode' must be set to either 'response' or 'stream'");
        }
        for (JsonNode c : list(hold, "hold", "channels", true)) {
            String name = string(c, "channel", "name", true);
            String prevId = string(c, "channel", "prev-id", false);
            List<String> filters = new ArrayList<>();
            for (JsonNode f : list(c, "channel", "filters", false)) {
                if (!f.isTextual()) {
                    throw new InstructException("filters contains value with wrong type");
                }
                filters.add(f.textValue());
            }
            d.channels.add(new Channel(name, prevId, filters));
        }
        if (hold.has("timeout")) {
            d.timeout = nonNegativeInt(hold.get("timeout"), "hold", "timeout");
        }
        JsonNode ka = object(hold, "hold", "keep-alive");
        if (ka != null) {
            if (ka.has("content-bin")) {
                d.keepAliveData = QtCompat.fromBase64(utf8(string(ka, "keep-alive", "content-bin", false)));
            } else if (ka.has("content")) {
                JsonNode content = ka.get("content");
                if (!content.isTextual()) {
                    throw new InstructException("keep-alive contains 'content' with wrong type");
                }
                d.keepAliveData = utf8(content.textValue());
            }
            d.keepAliveTimeout = ka.has("timeout") ? nonNegativeInt(ka.get("timeout"), "keep-alive", "timeout")
                    : Instruct.DEFAULT_KEEP_ALIVE_TIMEOUT;
        }
        JsonNode meta = object(hold, "hold", "meta");
        if (meta != null) {
            for (Map.Entry<String, JsonNode> e : sorted(meta).entrySet()) {
                if (!e.getValue().isTextual()) {
                    throw new InstructException("'meta' contains '" + e.getKey() + "' with wrong type");
                }
                d.meta.put(e.getKey(), e.getValue().textValue());
            }
        }
    }

    private static void readResponse(InstructDraft d, JsonNode in) throws InstructException {
        if (in.has("code")) {
            JsonNode code = in.get("code");
            if (!convertsToInt(code)) {
                throw new InstructException("response contains 'code' with wrong type");
            }
            d.code = toInt(code);
            if (d.code < 0 || d.code > 999) {
                throw new InstructException("response contains 'code' with invalid value");
            }
            d.reason = ""; // a given code drops the origin's reason
        }
        String reason = string(in, "response", "reason", false);
        if (reason != null && !reason.isEmpty()) {
            d.reason = QtCompat.toByteString(reason);
        }
        if (in.has("headers")) {
            readHeaders(d, in.get("headers"));
        }
        if (in.has("body-bin")) {
            d.body = QtCompat.fromBase64(utf8(string(in, "response", "body-bin", false)));
        } else if (in.has("body")) {
            JsonNode body = in.get("body");
            if (!body.isTextual()) {
                throw new InstructException("response contains 'body' with wrong type");
            }
            d.body = utf8(body.textValue());
        }
    }

    private static void readHeaders(InstructDraft d, JsonNode headers) throws InstructException {
        if (headers.isArray()) {
            for (JsonNode h : headers) {
                if (!h.isArray()) {
                    throw new InstructException("headers contains element with wrong type");
                }
                if (h.size() != 2) {
                    throw new InstructException("headers contains list with wrong number of elements");
                }
                if (!h.get(0).isTextual()) {
                    throw new InstructException("header contains name element with wrong type");
                }
                if (!h.get(1).isTextual()) {
                    throw new InstructException("header contains value element with wrong type");
                }
                d.headers.add(header(h.get(0).textValue(), h.get(1).textValue()));
            }
        } else if (headers.isObject()) {
            for (Map.Entry<String, JsonNode> e : sorted(headers).entrySet()) {
                if (!e.getValue().isTextual()) {
                    throw new InstructException("headers contains '" + e.getKey() + "' with wrong type");
                }
                d.headers.add(header(e.getKey(), e.getValue().textValue()));
            }
        } else {
            throw new InstructException("response contains 'headers' with wrong type");
        }
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return Map.entry(QtCompat.toByteString(name), QtCompat.toByteString(value));
    }

    /** A string member; null when optional and absent. */
    private static String string(JsonNode parent, String parentName, String key, boolean required)
            throws InstructException {
        JsonNode v = child(parent, parentName, key, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InstructException(parentName + " contains '" + key + "' with wrong type");
        }
        return v.textValue();
    }

    /** A list member; empty when optional and absent. */
    private static List<JsonNode> list(JsonNode parent, String parentName, String key, boolean required)
            throws InstructException {
        JsonNode v = child(parent, parentName, key, required);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InstructException(parentName + " contains '" + key + "' with wrong type");
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** An optional object member, or null. */
    private static JsonNode object(JsonNode parent, String parentName, String key) throws InstructException {
        JsonNode v = child(parent, parentName, key, false);
        if (v != null && !v.isObject()) {
            throw new InstructException(parentName + " contains '" + key + "' with wrong type");
        }
        return v;
    }

    private static JsonNode child(JsonNode parent, String parentName, String key, boolean required)
            throws InstructException {
        if (!parent.isObject()) {
            throw new InstructException(parentName + " is not an object");
        }
        JsonNode v = parent.get(key);
        if (v == null && required) {
            throw new InstructException(parentName + " does not contain '" + key + "'");
        }
        return v;
    }

    private static int nonNegativeInt(JsonNode v, String parentName, String key) throws InstructException {
        if (!convertsToInt(v)) {
            throw new InstructException(parentName + " contains '" + key + "' with wrong type");
        }
        int i = toInt(v);
        if (i < 0) {
            throw new InstructException(parentName + " contains '" + key + "' with invalid value");
        }
        return i;
    }

    /** {@code QVariant::canConvert(Int)} for what JSON can hold. */
    private static boolean convertsToInt(JsonNode v) {
        return v.isNumber() || v.isTextual() || v.isBoolean();
    }

    /** {@code QVariant::toInt}: a 64-bit conversion narrowed to 32 bits; unparseable strings give 0. */
    private static int toInt(JsonNode v) {
        long l;
        if (v.isIntegralNumber()) {
            l = v.longValue();
        } else if (v.isNumber()) {
            l = QtCompat.round64(v.doubleValue());
        } else if (v.isBoolean()) {
            l = v.booleanValue() ? 1 : 0;
        } else {
            Long parsed = QtCompat.parseLong(v.textValue());
            l = parsed == null ? 0 : parsed;
        }
        return (int) l;
    }

    private static Map<String, JsonNode> sorted(JsonNode object) {
        Map<String, JsonNode> out = new TreeMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
