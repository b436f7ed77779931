package org.pushpin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON that Pushpin 1.36's {@code pushpin-publish} writes, byte for byte: compact, object keys sorted (its
 * serde maps are ordered), only {@code "}, {@code \} and control characters escaped (lowercase {@code &#92;u00xx}),
 * everything else raw UTF-8. Values are {@link Map} (keys sorted here), {@link List}, {@link String},
 * {@code byte[]} (a string when valid UTF-8, else written by the caller as a {@code -bin} key), {@link Long},
 * {@link Double}, {@link Boolean} or null.
 */
final class PublishJson {
    private PublishJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        append(out, value);
        return out.toString();
    }

    /**
     * The tool's rule for payloads: a {@code body}/{@code content} that is not valid UTF-8 goes out as
     * {@code body-bin}/{@code content-bin}, base64.
     */
    static void putPayload(Map<String, Object> map, String key, byte[] data) {
        String text = utf8(data);
        if (text != null) {
            map.put(key, text);
        } else {
            map.put(key + "-bin", Base64.getEncoder().encodeToString(data));
        }
    }

    /** A JSON tree read with Jackson, as the tool re-emits it (sorted keys; numbers as serde prints them). */
    static Object fromTree(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                m.put(e.getKey(), fromTree(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                l.add(fromTree(e));
            }
            return l;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                return n.longValue();
            }
            if (n.bigIntegerValue().bitLength() <= 64 && n.bigIntegerValue().signum() > 0) {
                // serde reads it as u64, which the tool's conversion rejects
                throw new IllegalArgumentException("invalid data");
            }
            return n.doubleValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return null;
    }

    static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static void append(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : new TreeMap<>((Map<String, Object>) m).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, e.getKey());
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, l.get(i));
            }
            out.append(']');
        } else if (v instanceof Double d) {
            out.append(ryu(d));
        } else {
            out.append(v); // Long, Integer, Boolean
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A double the way serde_json (ryu) prints it: {@code 1.0}, {@code 0.001}, {@code 1e20}, {@code 1.5e-7}. */
    static String ryu(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = b.unscaledValue().toString();
        int k = digits.length() - b.scale() - 1; // decimal exponent of the first digit
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (k >= 0 && k < 16) {
            if (digits.length() <= k + 1) {
                out.append(digits).append("0".repeat(k + 1 - digits.length())).append(".0");
            } else {
                out.append(digits, 0, k + 1).append('.').append(digits.substring(k + 1));
            }
        } else if (k < 0 && k >= -5) {
            out.append("0.").append("0".repeat(-k - 1)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits.substring(1));
            }
            out.append('e').append(k);
        }
        return out.toString();
    }
}
