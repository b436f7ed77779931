package org.pushpin.hold;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.qt.QtBase64;

/**
 * One GRIP WebSocket control message, the JSON an origin sends after {@code c:} (docs/websocket.md, Pushpin's
 * {@code wscontrolmessage.cpp}). {@link #parse} answers null for anything that is not a valid message of a known
 * type: the session ignores those.
 *
 * @param type      which message
 * @param channel   subscribe, unsubscribe: the channel as the origin named it (non-empty)
 * @param filters   subscribe: the filters (never null)
 * @param name      set-meta: the meta name (non-empty); session: the id, or null to clear it
 * @param value     set-meta: the value, or null to delete it
 * @param content   keep-alive, send-delayed: the message content, or null (keep-alive: off)
 * @param frameType keep-alive, send-delayed: what kind of frame {@code content} goes out as
 * @param timeout   keep-alive, send-delayed: seconds, or -1 when the message named none
 * @param interval  keep-alive: mode {@code interval} (else {@code idle})
 * @param lastId    subscribe: ours, {@code last-id}: the id of the last item of the channel the client saw, to
 *                  resume after from the history (docs/history.md); null when absent or empty
 */
record WsControlMessage(Type type, String channel, List<String> filters, String name, String value,
                        byte[] content, FrameType frameType, int timeout, boolean interval, String lastId) {

    enum Type { SUBSCRIBE, UNSUBSCRIBE, DETACH, SESSION, SET_META, KEEP_ALIVE, SEND_DELAYED, FLUSH_DELAYED }

    enum FrameType { TEXT, BINARY, PING, PONG }

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Map<String, Type> TYPES = Map.of(
            "subscribe", Type.SUBSCRIBE,
            "unsubscribe", Type.UNSUBSCRIBE,
            "detach", Type.DETACH,
            "session", Type.SESSION,
            "set-meta", Type.SET_META,
            "keep-alive", Type.KEEP_ALIVE,
            "send-delayed", Type.SEND_DELAYED,
            "flush-delayed", Type.FLUSH_DELAYED);

    private static final Map<String, FrameType> FRAME_TYPES = Map.of(
            "text", FrameType.TEXT,
            "binary", FrameType.BINARY,
            "ping", FrameType.PING,
            "pong", FrameType.PONG);

    /** Thrown inside the parser only: the message is not valid. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String why) {
            super(why, null, false, false);
        }
    }

    /** The message in {@code json}, or null when it is invalid or of an unknown type ({@link #whyInvalid} says). */
    static WsControlMessage parse(String json) {
        try {
            return parseOrThrow(json);
        } catch (Invalid e) {
            return null;
        }
    }

    /** Why {@code json} is ignored, or null when it is a valid message (for the debug log and tests). */
    static String whyInvalid(String json) {
        try {
            parseOrThrow(json);
            return null;
        } catch (Invalid e) {
            return e.getMessage();
        }
    }

    private static WsControlMessage parseOrThrow(String json) throws Invalid {
        JsonNode in;
        try {
            in = MAPPER.readTree(json);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new Invalid("not JSON");
        }
        if (in == null || !in.isObject()) {
            throw new Invalid("not a JSON object");
        }
        Type type = TYPES.get(string(in, "type", true));
        if (type == null) {
            throw new Invalid("unknown type");
        }
        return switch (type) {
            case SUBSCRIBE -> new WsControlMessage(type, channel(in), filters(in), null, null, null, null, -1, false,
                    lastId(in));
            case UNSUBSCRIBE -> new WsControlMessage(type, channel(in), List.of(), null, null, null, null, -1, false,
                    null);
            case SESSION -> new WsControlMessage(type, null, List.of(), string(in, "id", false), null, null, null,
                    -1, false, null);
            case SET_META -> setMeta(in);
            case KEEP_ALIVE, SEND_DELAYED -> content(type, in);
            default -> new WsControlMessage(type, null, List.of(), null, null, null, null, -1, false, null);
        };
    }

    private static String channel(JsonNode in) throws Invalid {
        String channel = string(in, "channel", true);
        if (channel.isEmpty()) {
            throw new Invalid("empty channel");
        }
        return channel;
    }

    private static String lastId(JsonNode in) throws Invalid {
        String id = string(in, "last-id", false);
        return id == null || id.isEmpty() ? null : id;
    }

    private static List<String> filters(JsonNode in) throws Invalid {
        JsonNode v = in.get("filters");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new Invalid("filters is not a list");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode f : v) {
            if (!f.isTextual()) {
                throw new Invalid("filters has a non-string");
            }
            out.add(f.textValue());
        }
        return List.copyOf(out);
    }

    private static WsControlMessage setMeta(JsonNode in) throws Invalid {
        String name = string(in, "name", true);
        if (name.isEmpty()) {
            throw new Invalid("empty meta name");
        }
        return new WsControlMessage(Type.SET_META, null, List.of(), name, string(in, "value", false), null, null,
                -1, false, null);
    }

    private static WsControlMessage content(Type type, JsonNode in) throws Invalid {
        byte[] content = null;
        FrameType frameType = FrameType.TEXT;
        if (in.has("content-bin")) {
            content = QtBase64.decode(string(in, "content-bin", true));
            frameType = FrameType.BINARY;
        } else if (in.has("content")) {
            content = string(in, "content", true).getBytes(StandardCharsets.UTF_8);
        }
        String mt = string(in, "message-type", false);
        if (mt != null) {
            frameType = FRAME_TYPES.get(mt);
            if (frameType == null) {
                throw new Invalid("unknown message-type");
            }
        }
        int timeout = -1;
        JsonNode t = in.get("timeout");
        if (t != null && !t.isNull()) {
            if (!t.isNumber()) {
                throw new Invalid("timeout is not a number");
            }
            // Seconds, as an int; a huge value is clamped rather than wrapped.
            timeout = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(t.doubleValue())));
            if (type == Type.SEND_DELAYED && timeout < 0) {
                // 1.36 never sends such a message (seen: nothing within 10 s); ignoring it is the same to a client.
                throw new Invalid("negative send-delayed timeout");
            }
        }
        boolean interval = false;
        String mode = type == Type.KEEP_ALIVE ? string(in, "mode", false) : null;
        if (mode != null) {
            if (mode.equals("interval")) {
                interval = true;
            } else if (!mode.equals("idle")) {
                throw new Invalid("unknown mode");
            }
        }
        return new WsControlMessage(type, null, List.of(), null, null, content, frameType, timeout, interval, null);
    }

    /** A string field; absent or null is an error when {@code required}, else null; another type is an error. */
    private static String string(JsonNode in, String key, boolean required) throws Invalid {
        JsonNode v = in.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Invalid("no " + key);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid(key + " is not a string");
        }
        return v.textValue();
    }
}
