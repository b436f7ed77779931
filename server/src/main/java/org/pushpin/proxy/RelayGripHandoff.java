package org.pushpin.proxy;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.pushpin.grip.ClientResponse;
import org.pushpin.grip.Instruct;

/**
 * Answers every instruction as Pushpin answers one without a hold: the origin's response with Grip-* headers
 * removed, Grip-Status and Grip-Expose-Headers applied (or the JSON instruct's {@code response}).
 */
public final class RelayGripHandoff implements GripHandoff {
    @Override
    public void accept(GripExchange exchange) {
        exchange.respond(toClientResponse(exchange, exchange.instruct().response()));
    }

    /** The head of a streamed client response for an instruction's response part (framing is set later). */
    public static HttpResponse head(HttpVersion version, ClientResponse r) {
        HttpResponse head = new DefaultHttpResponse(version, new HttpResponseStatus(r.code(), r.reason()));
        for (Map.Entry<String, String> h : r.headers()) {
            head.headers().add(h.getKey(), h.getValue());
        }
        return head;
    }

    /** The client response for an instruction's response part (framing is set by the exchange). */
    public static FullHttpResponse toClientResponse(GripExchange exchange, ClientResponse r) {
        FullHttpResponse out = new DefaultFullHttpResponse(exchange.request().protocolVersion(),
                new HttpResponseStatus(r.code(), r.reason()),
                exchange.channel().alloc().buffer(r.body().length).writeBytes(r.body()));
        for (Map.Entry<String, String> h : r.headers()) {
            out.headers().add(h.getKey(), h.getValue());
        }
        out.headers().setInt("Content-Length", r.body().length);
        return out;
    }
}
