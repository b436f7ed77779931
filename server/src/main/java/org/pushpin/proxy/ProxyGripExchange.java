package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * The {@link GripExchange} view of a {@link ProxyExchange} whose origin answered with an instruction: what a hold
 * does with the client's response (hold it, stream to it, answer it, repeat the request), in terms of the
 * exchange's lifecycle and its {@link ResponseRelay}.
 */
final class ProxyGripExchange implements GripExchange {
    private final ProxyExchange exchange;
    private final ClientRequest request;
    private final ResponseRelay relay;
    private Instruct instruct;

    ProxyGripExchange(ProxyExchange exchange, ClientRequest request, ResponseRelay relay, Instruct instruct) {
        this.exchange = exchange;
        this.request = request;
        this.relay = relay;
        this.instruct = instruct;
    }

    @Override
    public Instruct instruct() {
        return instruct;
    }

    @Override
    public HttpRequest request() {
        return request.head();
    }

    @Override
    public ByteBuf requestBody() {
        return request.keptBody().asReadOnly();
    }

    @Override
    public Route route() {
        return request.route();
    }

    @Override
    public java.util.function.Function<Route, String> signer() {
        return exchange.signing()::sign;
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
        exchange.respondGrip(response);
    }

    @Override
    public void fail(String debugMessage) {
        exchange.failBeforeResponse(debugMessage);
    }

    @Override
    public void hold() {
        exchange.accept(200);
    }

    @Override
    public void startStream(HttpResponse head) {
        if (exchange.isDone()) {
            return;
        }
        if (relay.started()) {
            // Handed over after an oversized body was relayed: the head is already out.
            exchange.accept(request.info().status());
            return;
        }
        exchange.accept(head.status().code());
        relay.startStream(head);
    }

    @Override
    public boolean chunkedStream() {
        return relay.chunked();
    }

    @Override
    public HeldConnection compact() {
        instruct = null;
        return exchange.compactForStream();
    }

    @Override
    public void write(ByteBuf data) {
        if (exchange.isDone()) {
            data.release();
            return;
        }
        relay.write(data);
    }

    /** For a stream that still has its encoder (one with a next link): the encoder frames {@code content}. */
    @Override
    public void writeShared(ByteBuf content, ByteBuf chunk) {
        if (content != null && content.isReadable()) {
            write(content.retainedDuplicate());
        }
    }

    @Override
    public void endStream() {
        exchange.endHeldStream();
    }

    @Override
    public void abort() {
        exchange.abortHeld();
    }

    @Override
    public void onClientClose(Runnable listener) {
        exchange.onClientClose(listener);
    }

    @Override
    public void retry(List<Map.Entry<String, String>> extraHeaders) {
        exchange.retries().retry(extraHeaders);
    }

    @Override
    public boolean streamStarted() {
        return relay.started();
    }

    @Override
    public void fetchLink(URI link, List<Map.Entry<String, String>> extraHeaders) {
        exchange.retries().fetchLink(link, extraHeaders);
    }

    @Override
    public boolean isDone() {
        return exchange.isDone();
    }
}
