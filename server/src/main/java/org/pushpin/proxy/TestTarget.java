package org.pushpin.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pushpin.routing.RouteRewrite;

/**
 * The built-in {@code test} target (spec websocket.md §4): answers without an origin. {@code /response} and
 * {@code /stream} answer with GRIP instructions that go through the same hand-off as an origin's.
 */
final class TestTarget {
    private TestTarget() {
    }

    static void answer(ProxyExchange exchange) {
        QueryStringDecoder q = new QueryStringDecoder(RouteRewrite.originPath(exchange.route, exchange.info.uri()));
        String path = q.path();
        var alloc = exchange.client().channel().alloc();
        var version = exchange.client().version();
        switch (path) {
            case "/" -> exchange.respond(ErrorResponses.text(alloc, version, 200, "OK",
                    "Hello from the Pushpin test handler!"), null);
            case "/response", "/stream" -> {
                List<String> channels = q.parameters().getOrDefault("channel", List.of("test"));
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set("Content-Type", "text/plain");
                r.headers().set("Grip-Hold", path.equals("/stream") ? "stream" : "response");
                for (String c : channels) {
                    r.headers().add("Grip-Channel", c);
                }
                String body = path.equals("/stream") ? "[stream opened]\n" : "nothing for now\n";
                GripResponse.handle(exchange, r, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            }
            default -> exchange.respond(ErrorResponses.text(alloc, version, 404, "Not Found",
                    "no such test resource"), null);
        }
    }
}
