package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/** The {@link GripExchange} view of a {@link ProxyExchange} whose origin answered with an instruction. */
final class ProxyGripExchange implements GripExchange {
    private final ProxyExchange exchange;
    private final Instruct instruct;

    ProxyGripExchange(ProxyExchange exchange, Instruct instruct) {
        this.exchange = exchange;
        this.instruct = instruct;
    }

    @Override
    public Instruct instruct() {
        return instruct;
    }

    @Override
    public HttpRequest request() {
        return exchange.request;
    }

    @Override
    public ByteBuf requestBody() {
        return exchange.requestBody().asReadOnly();
    }

    @Override
    public Route route() {
        return exchange.route;
    }

    @Override
    public Target target() {
        return exchange.target();
    }

    @Override
    public Channel channel() {
        return exchange.client().channel();
    }

    @Override
    public boolean debug() {
        return exchange.debug();
    }

    @Override
    public void respond(FullHttpResponse response) {
        exchange.respond(response, null);
    }

    @Override
    public void fail(String debugMessage) {
        exchange.failBeforeResponse(debugMessage);
    }
}
