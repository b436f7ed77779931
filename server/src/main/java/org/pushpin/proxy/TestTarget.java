package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pushpin.routing.Route;

/**
 * The built-in {@code test} target (docs/configuration.md#targets): answers without an origin. {@code /response}
 * and {@code /stream} answer with GRIP instructions that go through the same hand-off as an origin's.
 */
final class TestTarget {
    /** Where the test target's answer goes. */
    interface Responder {
        /** A plain-text answer of Pushpin's own. */
        void respondText(int code, String reason, String text);

        /** A GRIP instruction, as if an origin had answered {@code head} and {@code body}. */
        void instruct(HttpResponse head, ByteBuf body);
    }

    private TestTarget() {
    }

    /**
     * The path the test handler answers for: the origin path (after the route's rewriting) less the route's
     * {@code path_beg}, whose trailing {@code /} stays. Seen on 1.36: with {@code path_beg=/t/} {@code /t/} is the
     * greeting and {@code /t/ws} the WebSocket; with {@code path_beg=/u} {@code /u/} is the greeting and {@code /u}
     * and {@code /uws} are 404; with {@code path_beg=/q/,path_rem=2} it is {@code /q/x/} (removed twice).
     */
    static String path(Route route, String originPath) {
        String beg = route.pathBeg();
        if (beg == null || beg.isEmpty()) {
            return originPath;
        }
        int n = beg.endsWith("/") ? beg.length() - 1 : beg.length();
        return n >= originPath.length() ? "" : originPath.substring(n);
    }

    /** Answers a request for {@code originPath} (path and query, as the route rewrites them for an origin). */
    static void answer(String originPath, Responder responder) {
        QueryStringDecoder q = new QueryStringDecoder(originPath);
        String path = q.path();
        switch (path) {
            case "/" -> responder.respondText(200, "OK", "Hello from the Pushpin test handler!");
            case "/response", "/stream" -> {
                List<String> channels = q.parameters().getOrDefault("channel", List.of("test"));
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set("Content-Type", "text/plain");
                r.headers().set("Grip-Hold", path.equals("/stream") ? "stream" : "response");
                for (String c : channels) {
                    r.headers().add("Grip-Channel", c);
                }
                String body = path.equals("/stream") ? "[stream opened]\n" : "nothing for now\n";
                responder.instruct(r, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            }
            default -> responder.respondText(404, "Not Found", "no such test resource");
        }
    }
}
