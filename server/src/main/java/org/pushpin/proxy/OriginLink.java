package org.pushpin.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.Target;

/**
 * The origin side of one {@link ProxyExchange}: which target of the route it talks to and over which connection.
 * The connection is leased from the client loop's {@link OriginPool} or opened on that loop (so both sockets share
 * a thread), the route's targets are tried in order until one connects, and a pooled connection the origin closed
 * just as it was reused is replaced once by a fresh one. Once connected, the {@link ClientRequest} goes out and its
 * body follows as the client sends it. Interim (1xx) responses are skipped here; the final response and its body go
 * on to the exchange. When the exchange is finished with it, the connection goes back to the pool if it can carry
 * another request, else it is closed.
 */
final class OriginLink implements OriginListener {
    /** A failed write to the origin closes it; the exchange hears of it through {@link #onOriginClosed}. */
    private static final ChannelFutureListener WRITE_FAILED = f -> {
        if (!f.isSuccess()) {
            RequestLog.debug("write to origin failed", f.cause());
            f.channel().close();
        }
    };

    private final ProxyExchange exchange;
    private final ClientConnection client;
    private final ClientRequest request;
    private final ProxyContext context;
    private final List<Target> targets;
    private Target target;
    private int targetIndex;
    private Channel channel;
    /** The connection came from the pool (a close before any answer may be the origin ending an idle one). */
    private boolean reused;
    /** The origin's final response head; null until it came. */
    private HttpResponse response;
    private boolean skippingInterim;
    private boolean responseComplete;
    /** The ask of a zhttp target, in place of {@link #channel}; null for an HTTP origin. */
    private ZhttpOrigin zhttp;

    OriginLink(ProxyExchange exchange, ClientConnection client, ClientRequest request, ProxyContext context) {
        this.exchange = exchange;
        this.client = client;
        this.request = request;
        this.context = context;
        this.targets = request.route().targets();
    }

    /** The target the exchange goes to (the built-in test target too); null before the first was tried. */
    Target target() {
        return target;
    }

    /**
     * Whether the route starts with the built-in test target, which answers without an origin. It then becomes the
     * target (the log and the GRIP hand-off show it) and no connection is made.
     */
    boolean testTarget() {
        Target first = targets.get(0);
        if (first.kind() != Target.Kind.TEST) {
            return false;
        }
        target = first;
        return true;
    }

    /** The answer came from another exchange's request to {@code from} (a shared request): logged as its target. */
    void answeredBy(Target from) {
        target = from;
    }

    boolean connected() {
        return channel != null || zhttp != null;
    }

    /** Asks the origin (again) from the first target on: a new request, whose response is yet to come. */
    void open() {
        closeZhttp();
        response = null;
        responseComplete = false;
        skippingInterim = false;
        connect(0);
    }

    private void connect(int index) {
        targetIndex = index;
        target = targets.get(index);
        if (target.overHttp() && !request.trusted() && WsOverHttpGuard.sendsEvents(request.head().headers())) {
            exchange.respondText(403, "Forbidden", WsOverHttpGuard.MESSAGE);
            return;
        }
        if (target.kind() != Target.Kind.ORIGIN) {
            zhttp = new ZhttpOrigin(exchange, request, context, target, client.channel().eventLoop());
            zhttp.open();
            if (!request.complete()) {
                client.read();
            }
            return;
        }
        OriginKey key = key(target);
        java.net.InetSocketAddress address = null;
        if (target.untrusted()) {
            // checked on every request, so no pooled connection (it may have been opened for a trusted target)
            address = OriginPolicy.address(target, requestHost());
            if (address == null) {
                exchange.failBeforeResponse(OriginPolicy.BLOCKED);
                return;
            }
        } else {
            Channel pooled = OriginPool.current().lease(key);
            if (pooled != null) {
                attach(pooled, true);
                return;
            }
        }
        connectNew(key, index, true, address);
    }

    /** The host the origin request names: the next link's, else its Host header's. */
    private String requestHost() {
        if (request.link() != null) {
            return request.link().getHost();
        }
        return OriginPolicy.hostOf(org.pushpin.routing.RouteRewrite.hostHeader(request.route(), target,
                request.head().headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST)));
    }

    /** Opens a new connection to {@code key}; when it fails, {@code failover} tries the route's next target. */
    private void connectNew(OriginKey key, int index, boolean failover, java.net.InetSocketAddress address) {
        io.netty.channel.EventLoop loop = client.channel().eventLoop();
        context.connector().connect(loop, key, address).addListener((ChannelFuture f) -> {
            if (!loop.inEventLoop()) {
                // a channel that could not even be opened (no file descriptor left) fails on Netty's global
                // executor: the exchange and its timers live on the client's loop, so carry on there
                loop.execute(() -> connected(f, index, failover));
                return;
            }
            connected(f, index, failover);
        });
    }

    /** The connect ended: attach, fail over to the next target, or fail; on the client's loop. */
    private void connected(ChannelFuture f, int index, boolean failover) {
        if (exchange.isDone()) {
            if (f.isSuccess()) {
                f.channel().close();
            }
        } else if (f.isSuccess()) {
            attach(f.channel(), false);
        } else if (failover && index + 1 < targets.size()) {
            context.metrics().originError(ServerMetrics.OriginError.CONNECT);
            connect(index + 1);
        } else {
            context.metrics().originError(ServerMetrics.OriginError.CONNECT);
            exchange.failBeforeResponse("Unable to connect to any targets. Tried: " + triedTargets());
        }
    }

    private OriginKey key(Target target) {
        return OriginKey.of(target, target.ssl() ? requestHost() : null);
    }

    private String triedTargets() {
        List<String> tried = new ArrayList<>();
        for (int i = 0; i <= targetIndex; i++) {
            tried.add(targets.get(i).address());
        }
        return String.join(", ", tried);
    }

    /** Sends the request; a body still coming is read from the client, and follows as it comes. */
    private void attach(Channel ch, boolean reused) {
        channel = ch;
        this.reused = reused;
        ch.pipeline().get(OriginHandler.class).attach(this);
        if (request.complete()) {
            // No body (or a retry, whose body was kept): the encoder also needs the end of the message before it
            // takes the next request.
            ch.write(request.toOrigin(context, target), ch.voidPromise());
            ch.writeAndFlush(request.end()).addListener(WRITE_FAILED);
        } else {
            ch.writeAndFlush(request.toOrigin(context, target)).addListener(WRITE_FAILED);
            client.read();
        }
        ch.read();
    }

    // ---- to the origin ----------------------------------------------------------------------------------------

    /** Sends a part of the request body; returns whether the connection is still writable. */
    boolean send(HttpContent content) {
        if (zhttp != null) {
            zhttp.send(content);
            return true;
        }
        channel.writeAndFlush(content).addListener(WRITE_FAILED);
        return channel.isWritable();
    }

    /** Asks for more of the response (auto-read is off: the exchange reads as fast as the client takes it). */
    void read() {
        if (zhttp != null) {
            zhttp.read();
        } else if (channel != null) {
            channel.read();
        }
    }

    // ---- letting go -------------------------------------------------------------------------------------------

    /** Gives the connection back to the pool when it can carry another request, else closes it. */
    void release() {
        closeZhttp();
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        channel = null;
        OriginHandler handler = ch.pipeline().get(OriginHandler.class);
        handler.detach();
        boolean reusable = response != null && HttpUtil.isKeepAlive(response);
        if (request.complete() && responseComplete && reusable) {
            OriginPool.current().release(handler.key(), ch);
        } else {
            ch.close();
        }
    }

    /**
     * Closes the connection, the exchange no longer listening: the origin never sees a complete exchange on it, so
     * it cannot go back to the pool.
     */
    void close() {
        closeZhttp();
        Channel ch = channel;
        if (ch != null) {
            channel = null;
            ch.pipeline().get(OriginHandler.class).detach();
            ch.close();
        }
    }

    private void closeZhttp() {
        if (zhttp != null) {
            zhttp.close();
            zhttp = null;
        }
    }

    // ---- from the origin --------------------------------------------------------------------------------------

    @Override
    public void onOriginWritabilityChanged(boolean writable) {
        exchange.onOriginWritabilityChanged(writable);
    }

    @Override
    public void onOriginResponse(HttpResponse head) {
        if (exchange.isDone()) {
            return;
        }
        if (head.decoderResult().isFailure()) {
            context.metrics().originError(ServerMetrics.OriginError.BAD_RESPONSE);
            exchange.originFailed("Error: bad response from origin: " + head.decoderResult().cause().getMessage());
            return;
        }
        int code = head.status().code();
        if (code >= 100 && code < 200) {
            skippingInterim = true;
        } else {
            response = head;
            exchange.onOriginResponse(head);
        }
        // The body may arrive in later reads: ask for them (the decoder only asks by itself when it produced
        // nothing).
        read();
    }

    @Override
    public void onOriginContent(HttpContent content) {
        if (exchange.isDone()) {
            content.release();
            return;
        }
        if (skippingInterim) {
            content.release();
            if (content instanceof LastHttpContent) {
                skippingInterim = false;
            }
            channel.read();
            return;
        }
        if (content instanceof LastHttpContent) {
            responseComplete = true;
        }
        exchange.onOriginContent(content);
    }

    @Override
    public void onOriginClosed() {
        if (exchange.isDone()) {
            return;
        }
        OriginHandler handler = channel == null ? null : channel.pipeline().get(OriginHandler.class);
        boolean timedOut = handler != null && handler.timedOut();
        if (!timedOut && reused && response == null && request.bytes() == 0 && request.complete()
                && !exchange.answering() && idempotent(request.head().method())) {
            // A pooled connection the origin closed just as we reused it: try once more on a fresh one. Only a
            // method that may be repeated (RFC 9110 §9.2.2): the origin may have acted on a POST before closing.
            channel = null;
            connectNew(key(target), targetIndex, false, null); // (untrusted targets never reuse)
            return;
        }
        close();
        if (timedOut) {
            context.metrics().originError(ServerMetrics.OriginError.TIMEOUT);
            exchange.originFailed("Error: origin sent nothing for "
                    + context.config().timeouts().originSeconds() + " s.");
            return;
        }
        context.metrics().originError(ServerMetrics.OriginError.BAD_RESPONSE);
        exchange.originFailed("Error: origin closed the connection before the response was complete.");
    }

    @Override
    public void onOriginError(Throwable cause) {
        RequestLog.debug("origin error", cause);
    }

    private static boolean idempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
    }
}
