package org.pushpin.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A {@link PublishItem} as the JSON item Pushpin's publish API takes, exactly enough to be read back by
 * {@link PublishParser} into an equal item: how one instance hands an accepted item to the others through a broker
 * (Redis). Payloads travel as base64 ({@code content-bin}, {@code body-bin}) so every byte survives; a WebSocket
 * message names its type.
 */
public final class PublishItemJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A format key no server knows: an item with no known format stays one that reaches nobody. */
    private static final String NO_FORMAT = "none";

    private PublishItemJson() {
    }

    public static byte[] encode(PublishItem item) {
        ObjectNode o = JSON.createObjectNode();
        o.put("channel", item.channel());
        if (item.id() != null) {
            o.put("id", item.id());
        }
        if (item.prevId() != null) {
            o.put("prev-id", item.prevId());
        }
        if (!item.meta().isEmpty()) {
            ObjectNode meta = o.putObject("meta");
            for (Map.Entry<String, String> e : item.meta().entrySet()) {
                meta.put(e.getKey(), e.getValue());
            }
        }
        if (item.noSeq()) {
            o.put("no-seq", true);
        }
        if (item.size() >= 0) {
            o.put("size", item.size());
        }
        ObjectNode formats = o.putObject("formats");
        if (item.httpResponse() != null) {
            response(formats.putObject("http-response"), item.httpResponse());
        }
        if (item.httpStream() != null) {
            stream(formats.putObject("http-stream"), item.httpStream());
        }
        if (item.wsMessage() != null) {
            ws(formats.putObject("ws-message"), item.wsMessage());
        }
        if (formats.isEmpty()) {
            formats.putObject(NO_FORMAT);
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain nodes always writes
        }
    }

    /** Reads what {@link #encode} wrote. */
    public static PublishItem decode(byte[] json) throws PublishFormatException {
        return PublishParser.parseItem(json, null);
    }

    private static void response(ObjectNode o, HttpResponseFormat f) {
        if (f.action() != Action.SEND) {
            o.put("action", f.action().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        o.put("code", f.code());
        if (f.reason() != null) {
            o.put("reason", f.reason());
        }
        if (!f.headers().isEmpty()) {
            ArrayNode headers = o.putArray("headers");
            for (Map.Entry<String, String> h : f.headers()) {
                headers.addArray().add(h.getKey()).add(h.getValue());
            }
        }
        if (f.bodyPatch() != null) {
            o.set("body-patch", f.bodyPatch());
        } else {
            o.put("body-bin", Base64.getEncoder().encodeToString(f.body()));
        }
        filters(o, f.contentFilters());
    }

    private static void stream(ObjectNode o, HttpStreamFormat f) {
        if (f.action() != Action.SEND) {
            o.put("action", f.action().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        o.put("content-bin", Base64.getEncoder().encodeToString(f.content()));
        filters(o, f.contentFilters());
    }

    private static void ws(ObjectNode o, WsMessageFormat f) {
        if (f.action() != Action.SEND) {
            o.put("action", f.action().name().toLowerCase(java.util.Locale.ROOT));
            if (f.action() == Action.CLOSE) {
                if (f.closeCode() >= 0) {
                    o.put("code", f.closeCode());
                }
                if (f.closeReason() != null) {
                    o.put("reason", f.closeReason());
                }
            }
            return;
        }
        o.put("type", f.type().name().toLowerCase(java.util.Locale.ROOT));
        o.put("content-bin", Base64.getEncoder().encodeToString(f.content()));
        filters(o, f.contentFilters());
    }

    private static void filters(ObjectNode o, List<String> filters) {
        if (!filters.isEmpty()) {
            ArrayNode a = o.putArray("content-filters");
            filters.forEach(a::add);
        }
    }
}
