package org.pushpin.sockjs;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.pushpin.proxy.SockJsExchange;
import org.pushpin.proxy.SockJsHandoff;
import org.pushpin.proxy.SockJsUpgrade;

/**
 * The SockJS server of a route with {@code sockjs=<base>}, as Pushpin 1.36 offers it: {@code <base>/info},
 * {@code <base>/iframe*.html}, {@code OPTIONS} anywhere below the base, the {@code websocket} transport
 * ({@link FramedWebSocket}), a raw WebSocket at {@code <base>/websocket}, and the polling transports {@code xhr} /
 * {@code xhr_send} and {@code jsonp} / {@code jsonp_send} ({@link PollingSession}). Beyond 1.36, the streaming
 * transports {@code xhr_streaming}, {@code eventsource} and {@code htmlfile} ({@link StreamFraming}), which SockJS
 * clients fall back to before polling. Every session reaches the
 * route's origin as one WebSocket client asking for {@code sockjs_as_path=} (or the base path; a WebSocket
 * transport adds {@code /websocket}), so the origin may be a WebSocket server or WebSocket-over-HTTP. Anything
 * else below the base is {@code 404 Not Found}.
 */
public final class SockJsEndpoint implements SockJsHandoff {
    /** What a JSON-P callback may be: a name or a dotted path (anything else would be script of the client's). */
    private static final Pattern CALLBACK = Pattern.compile("[A-Za-z0-9_.$\\-\\[\\]]+");

    private final SockJsSessions sessions = new SockJsSessions();
    private final IframePage iframe;

    /** @param sockjsUrl {@code sockjs_url} as it is now (read at each iframe request, so a reload applies) */
    public SockJsEndpoint(Supplier<String> sockjsUrl) {
        this.iframe = new IframePage(sockjsUrl);
    }

    /** Polling sessions open or lingering now. */
    public int sessions() {
        return sessions.size();
    }

    @Override
    public void request(SockJsExchange ex) {
        HttpHeaders h = ex.headers();
        String rest = ex.path().substring(ex.basePath().length());
        HttpMethod method = ex.method();
        if (ex.bodyTooLarge()) {
            ex.respond(SockJsAnswers.error(ex.alloc(), h, 400, "Bad Request", "Request too large."));
        } else if (method.equals(HttpMethod.OPTIONS)) {
            ex.respond(SockJsAnswers.options(ex.alloc(), h));
        } else if (method.equals(HttpMethod.GET) && rest.equals("/info")) {
            ex.respond(info(ex));
        } else if (method.equals(HttpMethod.GET) && rest.startsWith("/iframe") && rest.endsWith(".html")) {
            ex.respond(iframe.answer(ex.alloc(), h));
        } else {
            session(ex, h, rest);
        }
    }

    private static FullHttpResponse info(SockJsExchange ex) {
        long entropy = ThreadLocalRandom.current().nextLong(1L << 32);
        return SockJsAnswers.text(ex.alloc(), ex.headers(), 200, "OK", "text/plain",
                "{\"cookie_needed\":false,\"entropy\":" + entropy + ",\"origins\":[\"*:*\"],\"websocket\":true}\n");
    }

    private void session(SockJsExchange ex, HttpHeaders h, String rest) {
        String[] parts = parts(rest);
        if (parts == null) {
            ex.respond(SockJsAnswers.error(ex.alloc(), h, 404, "Not Found", "Not Found"));
            return;
        }
        String id = parts[1];
        String kind = parts[2];
        String callback = null;
        if (kind.startsWith("jsonp") || kind.equals("htmlfile")) {
            Callback cb = callback(ex.uri());
            if (cb == Callback.INVALID) {
                ex.respond(SockJsAnswers.error(ex.alloc(), h, 400, "Bad Request", "Bad Request"));
                return;
            }
            callback = cb.name;
        }
        PollingSession existing = sessions.get(id);
        if (existing != null) {
            handOn(existing, ex, kind, callback);
            return;
        }
        HttpMethod m = ex.method();
        StreamFraming framing = StreamFraming.of(kind);
        boolean opens = kind.equals("xhr") ? m.equals(HttpMethod.POST)
                : kind.equals("jsonp") ? m.equals(HttpMethod.GET) || m.equals(HttpMethod.POST)
                : framing != null && framing.opensWith(m.name());
        if (!opens) {
            ex.respond(SockJsAnswers.error(ex.alloc(), h, 404, "Not Found", "Not Found"));
            return;
        }
        if ((kind.equals("jsonp") || kind.equals("htmlfile")) && callback == null) {
            ex.respond(SockJsAnswers.error(ex.alloc(), h, 400, "Bad Request", "Bad Request"));
            return;
        }
        PollingSession s = new PollingSession(sessions, id, ex.loop(), ex.alloc());
        PollingSession other = sessions.putIfAbsent(s);
        if (other != null) {
            handOn(other, ex, kind, callback); // a twin request won the race
            return;
        }
        String base = ex.asPath() != null ? ex.asPath() : ex.basePath();
        s.start(ex, framing, callback, base + query(ex.uri()));
    }

    /** A request of a known session goes to it, on its loop; a closed one answers its close frame at once. */
    private static void handOn(PollingSession s, SockJsExchange ex, String kind, String callback) {
        String closed = s.closeFrame();
        if (closed != null) {
            ex.respond(SockJsAnswers.once(ex.alloc(), ex.headers(), StreamFraming.of(kind), closed, callback));
            return;
        }
        EventLoop loop = s.loop();
        if (loop.inEventLoop()) {
            s.handle(ex, kind, callback);
        } else {
            loop.execute(() -> s.handle(ex, kind, callback));
        }
    }

    @Override
    public void upgrade(SockJsUpgrade u) {
        String rest = u.path().substring(u.basePath().length());
        String origin = (u.asPath() != null ? u.asPath() : u.basePath() + "/websocket");
        if (rest.equals("/websocket")) {
            u.bridge(u.client(), origin); // a raw WebSocket: no SockJS framing at all
        } else if (parts(rest) != null) {
            u.bridge(new FramedWebSocket(u.client()), origin);
        } else {
            u.client().reject(SockJsAnswers.error(u.alloc(), u.headers(), 404, "Not Found", "Not Found"));
        }
    }

    /** {@code /<server>/<session>/<transport>} split in three, none empty; else null. */
    private static String[] parts(String rest) {
        if (!rest.startsWith("/")) {
            return null;
        }
        String[] p = rest.substring(1).split("/", -1);
        return p.length == 3 && !p[0].isEmpty() && !p[1].isEmpty() && !p[2].isEmpty() ? p : null;
    }

    /** A JSON-P callback: its name, none (null name), or one that is not a plain name ({@link #INVALID}). */
    record Callback(String name) {
        static final Callback NONE = new Callback(null);
        static final Callback INVALID = new Callback("");
    }

    /** The JSON-P callback ({@code callback}, else {@code c}). */
    static Callback callback(String uri) {
        var params = new QueryStringDecoder(uri).parameters();
        List<String> v = params.getOrDefault("callback", params.get("c"));
        if (v == null || v.isEmpty()) {
            return Callback.NONE;
        }
        return CALLBACK.matcher(v.get(0)).matches() ? new Callback(v.get(0)) : Callback.INVALID;
    }

    private static String query(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }
}
