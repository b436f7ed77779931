package org.pushpin.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses published items from JSON exactly as Pushpin 1.36 does (docs/publishing.md#publish-items,
 * docs/publishing.md#control-api-errors): same acceptance, same first error, same texts. Checks run in Pushpin's order
 * (channel, id, prev-id, formats, each format in the order http-response, http-stream, ws-message, then meta, size,
 * no-seq), so that an item with several faults is reported the way Pushpin reports it. Unknown keys are ignored.
 * Thread-safe.
 */
public final class PublishParser {
    // Floats as BigDecimal: a number too big for a double (1e400 in a body-patch) stays that number instead of
    // becoming Infinity, which no JSON writer can write back (an item travels between instances as JSON).
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true)); // 1.0 stays 1.0, not 1

    private static final String ITEM = "publish item object";

    private PublishParser() {
    }

    /**
     * A control API body, {@code {"items": [...]}}. One bad item rejects them all.
     *
     * @throws PublishFormatException {@code Body is not valid JSON.}, {@code Invalid format.},
     *                                {@code Invalid format: object does not contain 'items'}, ... (no newline)
     */
    public static List<PublishItem> parseRequest(byte[] body) throws PublishFormatException {
        return parseRequest(readDocument(body));
    }

    /** A parsed request document (the control API's JSON, or a ZRPC {@code publish}'s args as a tree). */
    public static List<PublishItem> parseRequest(JsonNode doc) throws PublishFormatException {
        if (!doc.isObject()) {
            throw PublishFormatException.of("Invalid format.");
        }
        JsonNode items = doc.get("items");
        if (items == null) {
            throw PublishFormatException.invalid("object does not contain 'items'");
        }
        if (!items.isArray()) {
            throw PublishFormatException.invalid("object contains 'items' with wrong type");
        }
        return parseItems(items);
    }

    /** Every element of a JSON array of items; the first bad one fails the whole list. */
    public static List<PublishItem> parseItems(JsonNode items) throws PublishFormatException {
        List<PublishItem> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            out.add(parseItem(item, null));
        }
        return List.copyOf(out);
    }

    /** One JSON item (a ZeroMQ {@code J} message), after the {@code J}. */
    public static PublishItem parseItem(byte[] json, String channel) throws PublishFormatException {
        return parseItem(readDocument(json), channel);
    }

    /**
     * One item.
     *
     * @param channel the channel given outside the item (the SUB socket's first frame), or null/empty to read the
     *                item's own {@code channel}
     */
    public static PublishItem parseItem(JsonNode item, String channel) throws PublishFormatException {
        if (!item.isObject()) {
            throw PublishFormatException.invalid(ITEM + " is not an object");
        }
        String ch = channel != null && !channel.isEmpty() ? channel : requiredString(item, ITEM, "channel");
        String id = optionalString(item, ITEM, "id");
        String prevId = optionalString(item, ITEM, "prev-id");

        JsonNode formats = item.get("formats");
        if (formats != null && !formats.isObject()) {
            throw wrongType(ITEM, "formats");
        }
        // Without "formats" the format keys may sit on the item itself.
        JsonNode source = formats != null ? formats : item;
        JsonNode response = source.get("http-response");
        JsonNode stream = source.get("http-stream");
        JsonNode ws = source.get("ws-message");
        boolean none = formats != null ? formats.isEmpty() : response == null && stream == null && ws == null;
        if (none) {
            throw PublishFormatException.invalid("no formats specified");
        }
        HttpResponseFormat httpResponse = response == null ? null : FormatParser.httpResponse(response);
        HttpStreamFormat httpStream = stream == null ? null : FormatParser.httpStream(stream);
        WsMessageFormat wsMessage = ws == null ? null : FormatParser.wsMessage(ws);

        Map<String, String> meta = meta(item);
        long size = -1;
        JsonNode vsize = item.get("size");
        if (vsize != null) {
            Integer x = QtConvert.toInt(vsize);
            if (x == null) {
                throw wrongType(ITEM, "size");
            }
            if (x < 0) {
                throw PublishFormatException.invalid(ITEM + " contains 'size' with invalid value");
            }
            size = x;
        }
        boolean noSeq = false;
        JsonNode vnoSeq = item.get("no-seq");
        if (vnoSeq != null) {
            if (!vnoSeq.isBoolean()) {
                throw wrongType(ITEM, "no-seq");
            }
            noSeq = vnoSeq.booleanValue();
        }
        // {"formats": {"foo": {}}} passes with no known format, as in Pushpin: the item reaches nobody.
        return new PublishItem(ch, id, prevId, meta, noSeq, size, httpResponse, httpStream, wsMessage);
    }

    /** Qt's {@code QJsonDocument::fromJson}: an object or array, nothing after it (whitespace aside). */
    static JsonNode readDocument(byte[] body) throws PublishFormatException {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw PublishFormatException.of("Body is not valid JSON.");
        } catch (IOException e) {
            throw new IllegalStateException(e); // reading a byte array does no I/O
        }
        if (doc == null || !(doc.isObject() || doc.isArray())) {
            throw PublishFormatException.of("Body is not valid JSON.");
        }
        return doc;
    }

    private static Map<String, String> meta(JsonNode item) throws PublishFormatException {
        JsonNode vmeta = item.get("meta");
        if (vmeta == null) {
            return Map.of();
        }
        if (!vmeta.isObject()) {
            throw wrongType(ITEM, "meta");
        }
        // Qt iterates a QVariantMap in key order, which decides which bad key is named.
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : sorted(vmeta)) {
            if (!e.getValue().isTextual()) {
                throw PublishFormatException.invalid("'meta' contains '" + e.getKey() + "' with wrong type");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Map.copyOf(out);
    }

    /** The fields of an object in Qt's QVariantMap order (UTF-16 code unit order, as {@link String#compareTo}). */
    static List<Map.Entry<String, JsonNode>> sorted(JsonNode object) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>(object.properties());
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    /** A string field that must be present. */
    static String requiredString(JsonNode obj, String owner, String key) throws PublishFormatException {
        String s = optionalString(obj, owner, key);
        if (s == null) {
            throw PublishFormatException.invalid(owner + " does not contain '" + key + "'");
        }
        return s;
    }

    /** A string field, or null when absent; present but not a string (null included) is an error. */
    static String optionalString(JsonNode obj, String owner, String key) throws PublishFormatException {
        JsonNode v = obj.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(owner, key);
        }
        return v.textValue();
    }

    static PublishFormatException wrongType(String owner, String key) {
        return PublishFormatException.invalid(owner + " contains '" + key + "' with wrong type");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
