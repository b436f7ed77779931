package org.pushpin.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.pushpin.tnet.TnetString;
import org.pushpin.tnet.TnetStringException;

/**
 * Publish items that come as tnetstrings (ZeroMQ {@code T} messages, ZRPC {@code publish}): the tnetstring tree is
 * turned into the JSON tree the JSON path reads, so both give the same item and the same error texts. Strings are
 * bytes in a tnetstring; UTF-8 ones become JSON strings. A {@code body} or {@code content} that is not UTF-8 (a
 * binary payload, which tnetstrings carry raw) becomes {@code body-bin}/{@code content-bin}, base64, as the JSON
 * form would carry it.
 */
public final class TnetItems {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TnetItems() {
    }

    /** One item from a tnetstring dict. */
    public static PublishItem parseItem(byte[] data, int offset, int length, String channel)
            throws PublishFormatException {
        Object tree;
        try {
            tree = TnetString.parse(data, offset, length);
        } catch (TnetStringException e) {
            throw PublishFormatException.invalid("invalid tnetstring: " + e.getMessage());
        }
        return PublishParser.parseItem(toJson(tree), channel);
    }

    /** The JSON tree of a parsed tnetstring value. */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof byte[] b) {
            String s = utf8(b);
            return s != null ? NODES.textNode(s) : NODES.textNode(Base64.getEncoder().encodeToString(b));
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(v -> a.add(toJson(v)));
            return a;
        }
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            String name = (String) e.getKey();
            Object v = e.getValue();
            if (v instanceof byte[] b && (name.equals("body") || name.equals("content")) && utf8(b) == null) {
                o.set(name + "-bin", toJson(v));
            } else {
                o.set(name, toJson(v));
            }
        }
        return o;
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
