package org.pushpin.tnet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tnetstrings, the framing Pushpin's ZeroMQ sockets speak (publish items, ZRPC commands, stats packets): each value
 * is {@code <length>:<payload><type>} with type {@code ,} bytes, {@code #} integer, {@code ^} float, {@code !}
 * boolean, {@code ~} null, {@code ]} list, {@code &#125;} dict (key/value pairs, keys are byte strings).
 *
 * <p>Java values: {@code byte[]} (strings stay bytes: a publish body may be binary), {@link Long}, {@link Double},
 * {@link Boolean}, {@code null}, {@link List}, and {@link Map} with {@link String} keys (UTF-8; keys are names).
 * Encoding also takes {@link String} (as UTF-8 bytes) and any {@link Number} that is a whole number.
 *
 * <p>Parsing never trusts a length: it is checked against what is left, digits are limited to nine, and nesting
 * to {@link #MAX_DEPTH}, so garbage costs at most one pass over the input and ends in a
 * {@link TnetStringException} with the offset.
 */
public final class TnetString {
    /** Deeper nesting than any Pushpin packet uses; bounds the parser's recursion. */
    public static final int MAX_DEPTH = 32;
    private static final int MAX_LENGTH_DIGITS = 9;

    private TnetString() {
    }

    /** Parses exactly one value filling {@code data}. */
    public static Object parse(byte[] data) throws TnetStringException {
        return parse(data, 0, data.length);
    }

    /** Parses exactly one value filling {@code data[offset, offset + length)}. */
    public static Object parse(byte[] data, int offset, int length) throws TnetStringException {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        Parser p = new Parser(data, offset + length);
        Object value = p.value(offset, 0);
        if (p.next != offset + length) {
            throw new TnetStringException("trailing bytes after the value", p.next);
        }
        return value;
    }

    /** Parses a value that must be a dict. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseDict(byte[] data, int offset, int length) throws TnetStringException {
        Object v = parse(data, offset, length);
        if (!(v instanceof Map)) {
            throw new TnetStringException("not a dict", offset);
        }
        return (Map<String, Object>) v;
    }

    /** Encodes one value; throws {@link IllegalArgumentException} for a type tnetstrings cannot hold. */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value, 0);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.writeBytes(new byte[] {'0', ':', '~'});
        } else if (value instanceof byte[] b) {
            frame(out, b, ',');
        } else if (value instanceof String s) {
            frame(out, s.getBytes(StandardCharsets.UTF_8), ',');
        } else if (value instanceof Boolean b) {
            frame(out, (b ? "true" : "false").getBytes(StandardCharsets.US_ASCII), '!');
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not a finite number: " + d);
            }
            frame(out, Double.toString(d).getBytes(StandardCharsets.US_ASCII), '^');
        } else if (value instanceof Number n) {
            frame(out, Long.toString(n.longValue()).getBytes(StandardCharsets.US_ASCII), '#');
        } else if (value instanceof List<?> list) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            for (Object item : list) {
                write(inner, item, depth + 1);
            }
            frame(out, inner.toByteArray(), ']');
        } else if (value instanceof Map<?, ?> map) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("dict keys must be strings");
                }
                frame(inner, key.getBytes(StandardCharsets.UTF_8), ',');
                write(inner, e.getValue(), depth + 1);
            }
            frame(out, inner.toByteArray(), '}');
        } else {
            throw new IllegalArgumentException("no tnetstring type for " + value.getClass().getName());
        }
    }

    private static void frame(ByteArrayOutputStream out, byte[] payload, char type) {
        out.writeBytes(Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(payload);
        out.write(type);
    }

    /** One pass over a byte range; {@code next} is where the value just parsed ended. */
    private static final class Parser {
        private final byte[] data;
        private final int end;
        int next;

        Parser(byte[] data, int end) {
            this.data = data;
            this.end = end;
        }

        Object value(int at, int depth) throws TnetStringException {
            if (depth > MAX_DEPTH) {
                throw new TnetStringException("nested deeper than " + MAX_DEPTH, at);
            }
            int i = at;
            int length = 0;
            while (i < end && data[i] != ':') {
                byte c = data[i];
                if (c < '0' || c > '9' || i - at >= MAX_LENGTH_DIGITS) {
                    throw new TnetStringException("bad length", at);
                }
                length = length * 10 + (c - '0');
                i++;
            }
            if (i == at || i >= end) {
                throw new TnetStringException(i >= end ? "truncated length" : "empty length", at);
            }
            int start = i + 1;
            if (length > end - start - 1) {
                throw new TnetStringException("length " + length + " runs past the end", at);
            }
            int stop = start + length;
            byte type = data[stop];
            next = stop + 1;
            Object v = switch (type) {
                case ',' -> Arrays.copyOfRange(data, start, stop);
                case '#' -> integer(start, stop);
                case '^' -> floating(start, stop);
                case '!' -> bool(start, stop);
                case '~' -> {
                    if (length != 0) {
                        throw new TnetStringException("null with a payload", at);
                    }
                    yield null;
                }
                case ']' -> list(start, stop, depth);
                case '}' -> dict(start, stop, depth);
                default -> throw new TnetStringException("unknown type byte 0x"
                        + Integer.toHexString(type & 0xff), stop);
            };
            next = stop + 1;
            return v;
        }

        private Long integer(int start, int stop) throws TnetStringException {
            try {
                return Long.parseLong(ascii(start, stop));
            } catch (NumberFormatException e) {
                throw new TnetStringException("bad integer", start);
            }
        }

        private Double floating(int start, int stop) throws TnetStringException {
            String s = ascii(start, stop);
            // Double.parseDouble would take "NaN", "Infinity", hex floats and trailing 'd'/'f': not numbers here
            if (s.isEmpty() || !s.matches("[-+]?[0-9]*\\.?[0-9]*([eE][-+]?[0-9]+)?") || !s.matches(".*[0-9].*")) {
                throw new TnetStringException("bad float", start);
            }
            return Double.parseDouble(s);
        }

        private Boolean bool(int start, int stop) throws TnetStringException {
            String s = ascii(start, stop);
            if (s.equals("true")) {
                return Boolean.TRUE;
            }
            if (s.equals("false")) {
                return Boolean.FALSE;
            }
            throw new TnetStringException("bad boolean", start);
        }

        private List<Object> list(int start, int stop, int depth) throws TnetStringException {
            List<Object> items = new ArrayList<>();
            int i = start;
            while (i < stop) {
                items.add(inner(i, stop, depth));
                i = next;
            }
            return items;
        }

        private Map<String, Object> dict(int start, int stop, int depth) throws TnetStringException {
            Map<String, Object> map = new LinkedHashMap<>();
            int i = start;
            while (i < stop) {
                Object key = inner(i, stop, depth);
                if (!(key instanceof byte[] k)) {
                    throw new TnetStringException("dict key is not a string", i);
                }
                if (next >= stop) {
                    throw new TnetStringException("dict key without a value", i);
                }
                String name = utf8(k, i);
                map.put(name, inner(next, stop, depth));
                i = next;
            }
            return map;
        }

        /** A value inside a list or dict: it may not run past its container. */
        private Object inner(int at, int stop, int depth) throws TnetStringException {
            Parser sub = new Parser(data, stop);
            Object v = sub.value(at, depth + 1);
            next = sub.next;
            return v;
        }

        private String ascii(int start, int stop) {
            return new String(data, start, stop - start, StandardCharsets.US_ASCII);
        }

        private static String utf8(byte[] bytes, int at) throws TnetStringException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new TnetStringException("dict key is not UTF-8", at);
            }
        }
    }
}
