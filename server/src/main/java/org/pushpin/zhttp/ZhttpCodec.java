package org.pushpin.zhttp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pushpin.tnet.TnetString;
import org.pushpin.tnet.TnetStringException;

/**
 * ZHTTP packets to and from their bytes: a {@code T} followed by one tnetstring dict (Pushpin's ZHTTP over ZeroMQ).
 * Strings are bytes on the wire; header names and values travel as ISO-8859-1, as HTTP/1 carries them. Decoding
 * checks every field's type, as Pushpin does, and says what is wrong in a {@link ZhttpFormatException}.
 */
public final class ZhttpCodec {
    private ZhttpCodec() {
    }

    /** {@code T} + the packet as a tnetstring dict. */
    public static byte[] encode(ZhttpRequestPacket p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", p.from());
        m.put("id", p.id());
        if (p.seq() >= 0) {
            m.put("seq", p.seq());
        }
        if (p.type() != ZhttpType.DATA) {
            m.put("type", p.type().wire());
        }
        if (p.credits() >= 0) {
            m.put("credits", p.credits());
        }
        if (p.more()) {
            m.put("more", true);
        }
        if (p.stream()) {
            m.put("stream", true);
        }
        if (p.maxSize() >= 0) {
            m.put("max-size", p.maxSize());
        }
        if (p.method() != null) {
            m.put("method", latin1(p.method()));
        }
        if (p.uri() != null) {
            m.put("uri", latin1(p.uri()));
        }
        if (p.headers() != null) {
            List<Object> headers = new ArrayList<>(p.headers().size());
            for (Map.Entry<String, String> h : p.headers()) {
                headers.add(List.of(latin1(h.getKey()), latin1(h.getValue())));
            }
            m.put("headers", headers);
        }
        if (p.body() != null) {
            m.put("body", p.body());
        }
        if (p.ignorePolicies()) {
            m.put("ignore-policies", true);
        }
        if (p.multi()) {
            m.put("ext", Map.of("multi", true));
        }
        byte[] t = TnetString.encode(m);
        byte[] out = new byte[t.length + 1];
        out[0] = 'T';
        System.arraycopy(t, 0, out, 1, t.length);
        return out;
    }

    /** Reads the packet in {@code data[offset..]}, which must start with {@code T}. */
    public static ZhttpResponsePacket decode(byte[] data, int offset) throws ZhttpFormatException {
        if (data.length <= offset || data[offset] != 'T') {
            throw new ZhttpFormatException("not a tnetstring packet (no T prefix)");
        }
        Map<String, Object> m;
        try {
            m = TnetString.parseDict(data, offset + 1, data.length - offset - 1);
        } catch (TnetStringException e) {
            throw new ZhttpFormatException("bad tnetstring: " + e.getMessage());
        }
        List<ZhttpResponsePacket.Id> ids = ids(m);
        try {
            return fields(m, ids);
        } catch (ZhttpFormatException e) {
            throw new ZhttpFormatException(e.getMessage(), ids.get(0).id());
        }
    }

    private static ZhttpResponsePacket fields(Map<String, Object> m, List<ZhttpResponsePacket.Id> ids)
            throws ZhttpFormatException {
        byte[] from = bytes(m, "from");
        ZhttpType type = ZhttpType.DATA;
        byte[] typeName = bytes(m, "type");
        if (typeName != null) {
            type = ZhttpType.of(new String(typeName, StandardCharsets.ISO_8859_1));
            if (type == null) {
                throw new ZhttpFormatException("unknown type " + new String(typeName, StandardCharsets.ISO_8859_1));
            }
        }
        byte[] condition = type == ZhttpType.ERROR ? bytes(m, "condition") : null;
        byte[] reason = bytes(m, "reason");
        byte[] body = bytes(m, "body");
        return new ZhttpResponsePacket(from, ids, type,
                condition == null ? null : new String(condition, StandardCharsets.ISO_8859_1),
                integer(m, "credits"), bool(m, "more"), integer(m, "code"),
                reason == null ? null : new String(reason, StandardCharsets.ISO_8859_1), headers(m),
                body == null ? new byte[0] : body);
    }

    /**
     * Where the packet starts in a message of the stream-mode {@code in} socket, {@code <instance id> T...}: after
     * the first space; -1 when there is none.
     */
    public static int payloadOffset(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == ' ') {
                return i + 1;
            }
        }
        return -1;
    }

    private static List<ZhttpResponsePacket.Id> ids(Map<String, Object> m) throws ZhttpFormatException {
        Object v = m.get("id");
        int seq;
        try {
            seq = integer(m, "seq");
        } catch (ZhttpFormatException e) {
            throw new ZhttpFormatException(e.getMessage(), v instanceof byte[] b ? b : null);
        }
        List<ZhttpResponsePacket.Id> ids = new ArrayList<>(1);
        if (v instanceof byte[] b) {
            ids.add(new ZhttpResponsePacket.Id(b, seq));
        } else if (v instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> entry)) {
                    throw new ZhttpFormatException("id list item is not a dict");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) entry;
                byte[] id = bytes(e, "id");
                if (id == null) {
                    throw new ZhttpFormatException("id list item without id");
                }
                ids.add(new ZhttpResponsePacket.Id(id, integer(e, "seq")));
            }
        } else if (v != null) {
            throw new ZhttpFormatException("id is neither a string nor a list");
        }
        if (ids.isEmpty()) {
            throw new ZhttpFormatException("no id");
        }
        return ids;
    }

    private static List<Map.Entry<String, String>> headers(Map<String, Object> m) throws ZhttpFormatException {
        Object v = m.get("headers");
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw new ZhttpFormatException("headers is not a list");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof byte[] name)
                    || !(pair.get(1) instanceof byte[] value)) {
                throw new ZhttpFormatException("a header is not a pair of strings");
            }
            out.add(Map.entry(new String(name, StandardCharsets.ISO_8859_1),
                    new String(value, StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    private static byte[] bytes(Map<String, Object> m, String key) throws ZhttpFormatException {
        Object v = m.get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw new ZhttpFormatException(key + " is not a string");
    }

    private static int integer(Map<String, Object> m, String key) throws ZhttpFormatException {
        Object v = m.get(key);
        if (v == null) {
            return -1;
        }
        if (v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
            return (int) (long) l;
        }
        throw new ZhttpFormatException(key + " is not a non-negative integer");
    }

    private static boolean bool(Map<String, Object> m, String key) throws ZhttpFormatException {
        Object v = m.get(key);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw new ZhttpFormatException(key + " is not a boolean");
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
