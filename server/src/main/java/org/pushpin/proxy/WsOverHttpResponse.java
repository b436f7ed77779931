package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.WebSocketEvent;
import org.pushpin.grip.WebSocketEvents;
import org.pushpin.grip.WebSocketEventsException;
import org.pushpin.routing.Target;

/**
 * One whole answer of an {@code over_http} origin and the rules Pushpin reads it by (docs/websocket.md §3): it counts
 * only as {@code 200} with {@code Content-Type} exactly {@code application/websocket-events}; its
 * {@code Keep-Alive-Interval} and {@code Set-Meta-*} headers; its events; and for the first request, the client's
 * {@code 101} headers or the rejection the client gets instead.
 */
final class WsOverHttpResponse {
    /** Pushpin's RESPONSE_BODY_MAX: a longer body fails the request. */
    static final int BODY_MAX = 1_000_000;
    /** Pushpin's REJECT_BODY_MAX: what of a refusing first answer's body reaches the client. */
    static final int REJECT_BODY_MAX = 100_000;
    /** A shorter keep-alive interval is raised to this (seconds). */
    static final int MIN_KEEP_ALIVE_INTERVAL = 20;
    /** What the origin's keep-alive interval becomes when it turns it off. */
    static final int NO_KEEP_ALIVE = -1;
    /** {@link #keepAliveInterval} when the response says nothing of it: the last value stays. */
    static final int UNCHANGED = -2;

    private static final String SET_META = "Set-Meta-";
    private static final String[] NOT_FOR_CLIENT = {"Content-Length", "Content-Type", "Keep-Alive-Interval",
        "Sec-WebSocket-Extensions", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Encoding", "Upgrade"};

    private final HttpResponse head;
    private final byte[] body;

    WsOverHttpResponse(HttpResponse head, byte[] body) {
        this.head = head;
        this.body = body;
    }

    HttpHeaders headers() {
        return head.headers();
    }

    /** Whether the answer is one of events; any other answer fails the request (or refuses the handshake). */
    boolean isEvents() {
        return head.status().code() == 200
                && WebSocketEvents.CONTENT_TYPE.equals(head.headers().get(HttpHeaderNames.CONTENT_TYPE));
    }

    /**
     * The keep-alive interval in seconds it sets ({@link #NO_KEEP_ALIVE} when it turns it off, values under
     * {@value #MIN_KEEP_ALIVE_INTERVAL} raised), or {@link #UNCHANGED} without the header.
     */
    int keepAliveInterval() {
        String v = head.headers().get("Keep-Alive-Interval");
        if (v == null) {
            return UNCHANGED;
        }
        try {
            int x = Integer.parseInt(v.trim());
            return x > 0 ? Math.max(x, MIN_KEEP_ALIVE_INTERVAL) : NO_KEEP_ALIVE;
        } catch (NumberFormatException e) {
            return NO_KEEP_ALIVE;
        }
    }

    /** Whether it carries any {@code Set-Meta-*} header. */
    boolean setsMeta() {
        for (Map.Entry<String, String> h : head.headers()) {
            if (isSetMeta(h.getKey())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies its {@code Set-Meta-<Name>: value} headers to {@code meta} (made when null); an empty value deletes
     * the name. Returns the map.
     */
    Map<String, String> applyMeta(Map<String, String> meta) {
        if (meta == null) {
            meta = new LinkedHashMap<>();
        }
        for (Map.Entry<String, String> h : head.headers()) {
            if (isSetMeta(h.getKey())) {
                String name = h.getKey().substring(SET_META.length());
                meta.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                if (!h.getValue().isEmpty()) {
                    meta.put(name, h.getValue());
                }
            }
        }
        return meta;
    }

    private static boolean isSetMeta(String name) {
        return name.length() > SET_META.length() && name.regionMatches(true, 0, SET_META, 0, SET_META.length());
    }

    List<WebSocketEvent> events() throws WebSocketEventsException {
        return WebSocketEvents.decode(body);
    }

    /** The GRIP extension as the first answer accepts it, or null. */
    WsGripExtension gripExtension() {
        return WsGripExtension.fromHeaders(head.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
    }

    /**
     * The headers of the client's {@code 101}: the first answer's, less what only concerns Pushpin. The GRIP
     * extension is Pushpin's too, unless {@code passthrough} (a trusted client or a no_grip route speaks it itself)
     * and the client asked for it in {@code clientHeaders} (a server may not answer with an extension the client
     * did not offer, RFC 6455 §9.1).
     */
    HttpHeaders upgradeHeaders(boolean passthrough, HttpHeaders clientHeaders) {
        HttpHeaders out = new DefaultHttpHeaders();
        out.set(head.headers());
        for (String name : NOT_FOR_CLIENT) {
            out.remove(name);
        }
        List<String> meta = new ArrayList<>();
        for (String name : out.names()) {
            if (isSetMeta(name)) {
                meta.add(name);
            }
        }
        meta.forEach(out::remove);
        if (passthrough && gripExtension() != null && WsGripExtension.fromHeaders(
                clientHeaders.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) != null) {
            head.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)
                    .forEach(v -> out.add(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, v));
        }
        return out;
    }

    /** The targets tried so far, for the debug message when none could be reached. */
    static String tried(List<Target> targets, int last) {
        List<String> tried = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            tried.add(targets.get(i).address());
        }
        return String.join(", ", tried);
    }

    /** A first answer that is not events refuses the client's handshake: its status, headers and body. */
    FullHttpResponse rejection(ByteBufAllocator alloc) {
        int length = Math.min(body.length, REJECT_BODY_MAX);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(),
                alloc.buffer(length).writeBytes(body, 0, length));
        r.headers().set(head.headers());
        ResponseHeaders.removeHopByHop(r.headers());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return r;
    }

    /** The status line's code and reason, for logs. */
    HttpResponseStatus status() {
        return head.status();
    }
}
