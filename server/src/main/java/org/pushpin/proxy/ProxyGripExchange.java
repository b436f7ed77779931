package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/** The {@link GripExchange} view of a {@link ProxyExchange} whose origin answered with an instruction. */
final class ProxyGripExchange implements GripExchange {
    private final ProxyExchange exchange;
    private Instruct instruct;

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
        return exchange.request();
    }

    @Override
    public ByteBuf requestBody() {
        return exchange.requestBody().asReadOnly();
    }

    @Override
    public Route route() {
        return exchange.route();
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

    @Override
    public void hold() {
        exchange.held();
    }

    @Override
    public void startStream(HttpResponse head) {
        exchange.startHeldStream(head);
    }

    @Override
    public boolean chunkedStream() {
        return exchange.responseChunked();
    }

    @Override
    public HeldConnection compact() {
        instruct = null;
        return exchange.compactForStream();
    }

    @Override
    public void write(ByteBuf data) {
        exchange.writeHeld(data);
    }

    @Override
    public void writeShared(ByteBuf content, ByteBuf chunk) {
        exchange.writeHeldShared(content);
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
        exchange.retry(extraHeaders);
    }

    @Override
    public boolean streamStarted() {
        return exchange.streamStarted();
    }

    @Override
    public void fetchLink(java.net.URI link, List<Map.Entry<String, String>> extraHeaders) {
        exchange.fetchLink(link, extraHeaders);
    }

    @Override
    public boolean isDone() {
        return exchange.isDone();
    }
}
