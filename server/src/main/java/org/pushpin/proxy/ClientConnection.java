package org.pushpin.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.pushpin.metrics.ConnectionRegistry;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteTable;
import org.pushpin.timer.TimerWheel;

/**
 * The last handler of a client connection: takes one request at a time (auto-read is off and a
 * {@code FlowControlHandler} ahead of it delivers one message per read), routes it and runs a
 * {@link ProxyExchange}. Holds nothing between requests but a few fields.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter implements HeldConnection {
    /** What a {@code Pushpin-Check} request gets: proof that a Pushpin-compatible proxy answered. */
    static final String CHECK_NOTICE = "pushpin-java: a Pushpin-compatible realtime reverse proxy.";

    private final ProxyContext context;
    private final boolean tlsConnection;
    private final Object admittedEvent;
    private final RequestHandlers requestHandlers;
    private boolean admitted;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /** A stream hold outlived its exchange (see {@link ProxyExchange#compactForStream}) and carries the connection. */
    private boolean streamHeld;
    /** What to tell when the connection closes while {@link #streamHeld}; else null. */
    private Runnable heldCloseListener;
    private HttpVersion version = HttpVersion.HTTP_1_1;
    private boolean keepAlive;
    /** A read was asked for and no message has come since (see {@link #channelReadComplete}). */
    private boolean readWanted;
    /** The current request in the connection registry (when it is on), until its response or hold ends. */
    private ConnectionRegistry.Connection tracked;
    /** The current request counts against {@code max_open_requests} ({@link OpenRequests}). */
    private boolean openRequest;
    /** On the loop's timer wheel while a request head is awaited ({@code client_request_timeout}); else null. */
    private RequestDeadline requestDeadline;
    /** The current request's body is still to come (the same deadline then times each read of it). */
    private boolean bodyAwaited;

    /**
     * A client that does not complete a request head in time, or leaves a read of its body unanswered that long, is
     * disconnected (slowloris, idle keep-alive, a stalled upload).
     */
    private final class RequestDeadline extends TimerWheel.Timer {
        @Override
        protected void onTimeout() {
            requestDeadline = null;
            if ((bodyAwaited || (exchange == null && !streamHeld)) && ctx.channel().isActive()) {
                RequestLog.debug("client sent no complete request within "
                        + context.config().timeouts().clientRequestSeconds() + " s: closing", null);
                ctx.close();
            }
        }
    }

    /** Starts waiting for a request head (none is in progress). */
    private void awaitRequest() {
        int seconds = context.config().timeouts().clientRequestSeconds();
        if (seconds > 0 && requestDeadline == null) {
            requestDeadline = new RequestDeadline();
            TimerWheel.of(ctx.executor()).schedule(requestDeadline, seconds * 1000L);
        }
    }

    /** A request head arrived, or the connection closed. */
    private void requestArrived() {
        RequestDeadline d = requestDeadline;
        if (d != null) {
            requestDeadline = null;
            TimerWheel.of(ctx.executor()).cancel(d);
        }
    }

    /**
     * @param admitted      false for a connection over {@code client_maxconn}: nothing is read from it until
     *                      {@code admittedEvent} arrives as a user event
     */
    public ClientConnection(ProxyContext context, boolean tlsConnection, boolean admitted, Object admittedEvent,
                            RequestHandlers requestHandlers) {
        this.requestHandlers = requestHandlers;
        this.context = context;
        this.tlsConnection = tlsConnection;
        this.admitted = admitted;
        this.admittedEvent = admittedEvent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context.metrics().connectionOpened(ServerMetrics.ConnectionKind.HTTP);
        if (admitted) {
            awaitRequest();
            read();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == admittedEvent && !admitted) {
            admitted = true;
            awaitRequest();
            read();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readWanted = false;
        if (msg instanceof HttpRequest request) {
            requestArrived();
            onRequest(request);
            bodyAwaited = exchange != null && !(msg instanceof LastHttpContent)
                    && (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0);
            if (msg instanceof HttpContent content && exchange != null) {
                exchange.onClientContent(content);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (bodyAwaited) {
                requestArrived(); // the body read that was timed got its bytes
                bodyAwaited = !(content instanceof LastHttpContent);
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                badBody(content.decoderResult().cause());
                return;
            }
            if (exchange != null) {
                exchange.onClientContent(content);
            } else {
                // Between requests: the rest of a body that was answered early, or the empty last part of a
                // request without a body. Drop it and read on.
                content.release();
                read();
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void onRequest(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            version = HttpVersion.HTTP_1_1;
            badRequest(BadRequests.describe(request.decoderResult().cause()));
            return;
        }
        version = request.protocolVersion();
        if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
            version = HttpVersion.HTTP_1_1;
            badRequest("Failed to parse request: unsupported version");
            return;
        }
        RequestTargets.toOriginForm(request);
        String problem = BadRequests.problem(request, context.config().timeouts().clientMaxHeaders());
        if (problem != null) {
            badRequest(problem);
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(request);
        if (request.headers().contains("Pushpin-Check")) {
            FullHttpResponse r = ErrorResponses.text(ctx.alloc(), version, 200, "OK", CHECK_NOTICE);
            RequestLog.logUnrouted(request.method().name(), request.uri(), 200, r.content().readableBytes());
            sendOwn(r);
            return;
        }
        HttpHeaders headers = request.headers();
        String hostHeader = headers.get(HttpHeaderNames.HOST);
        String host = hostHeader == null || hostHeader.isEmpty() ? "localhost" : hostHeader;
        var proxy = context.config().proxy();
        boolean tls = tlsConnection
                || (proxy.acceptXForwardedProtocol() && OriginRequestHeaders.clientSaysTls(headers));
        RequestInfo info = new RequestInfo(request.uri(), host, tls, clientIp());
        boolean websocket = headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);

        Optional<Route> route;
        String routeId = proxy.acceptPushpinRoute() ? headers.get("Pushpin-Route") : null;
        RouteTable table = context.routes().current();
        if (routeId != null && !table.isIdShared(routeId)) {
            // An unknown id is an error; an id shared by several lines is unusable and ignored (as Pushpin).
            route = table.byId(routeId);
        } else {
            route = table.match(RequestTargets.hostWithoutPort(host), request.uri(), tls, websocket);
        }
        CrossOrigin cors;
        try {
            cors = CrossOrigin.of(proxy, route.orElse(null), request, websocket);
        } catch (JsonpRequest.Invalid e) {
            FullHttpResponse r = CrossOrigin.invalid(ctx.alloc(), version, request, e);
            RequestLog.logUnrouted(request.method().name(), info.url(), 400, r.content().readableBytes());
            sendOwn(r);
            return;
        }
        if (cors != null && cors.jsonp() != null) {
            info = new RequestInfo(cors.jsonp().request().uri(), host, tls, clientIp());
        }
        if (route.isEmpty()) {
            FullHttpResponse r = ErrorResponses.badGateway(ctx.alloc(), version,
                    "No route for host: " + RequestTargets.hostWithoutPort(host));
            r = cors == null ? r : cors.own(r, true);
            if (websocket) {
                // as 1.36 answers a WebSocket handshake it cannot route: no Content-Type, and the connection closes
                r.headers().remove(HttpHeaderNames.CONTENT_TYPE);
                keepAlive = false;
            }
            RequestLog.logUnrouted(request.method().name(), info.url(), 502, r.content().readableBytes());
            sendOwn(r);
            return;
        }
        String clientSig = headers.get("Grip-Sig");
        boolean trusted = clientSig != null && context.signing().trusted(clientSig);
        OpenRequests open = context.openRequests();
        if (!open.tryOpen()) {
            // max_open_requests: nothing more is read from this client until the request is let in
            EventLoop loop = ctx.channel().eventLoop();
            RequestInfo parked = info;
            open.park(() -> loop.execute(() -> letIn(request, parked, route.get(), trusted, websocket, cors)));
            return;
        }
        openRequest = true;
        proxy(request, info, route.get(), trusted, websocket, cors);
    }

    /** A request that waited for {@code max_open_requests} has been counted in: it goes on, unless its client left. */
    private void letIn(HttpRequest request, RequestInfo info, Route route, boolean trusted, boolean websocket,
                       CrossOrigin cors) {
        if (!ctx.channel().isActive()) {
            context.openRequests().closed();
            return;
        }
        openRequest = true;
        proxy(request, info, route, trusted, websocket, cors);
        bodyAwaited = exchange != null
                && (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0);
    }

    /** @param cors {@code auto_cross_origin} for the request, or null */
    private void proxy(HttpRequest request, RequestInfo info, Route route, boolean trusted, boolean websocket,
                       CrossOrigin cors) {
        context.metrics().requestProxied();
        if (websocket && !route.targets().isEmpty()) {
            keepAlive = false;
            if (context.holdAdmission().refuses()) {
                requestClosed();
                FullHttpResponse r = context.holdAdmission().refusal(ctx.alloc(), version, "WebSocket");
                RequestLog.logUnrouted(request.method().name(), info.url(), 503, r.content().readableBytes());
                sendOwn(r);
                return;
            }
            if (context.openRequests().limited()) {
                // counts until the connection closes (the WebSocket handler ahead keeps channelInactive to itself)
                ctx.channel().closeFuture().addListener(f -> requestClosed());
            }
            WebSocketStart.start(context, ctx.channel(), requestHandlers, request, info, route, trusted);
            return;
        }
        tracked = context.metrics().connections().open(ConnectionRegistry.Type.HTTP, route.id(),
                info.clientIp(), info.tls(), null, null);
        exchange = SockJsExchange.claims(context, route, request)
                ? new SockJsExchange(this, context, request, info, route, trusted)
                : new ProxyExchange(this, context, new ClientRequest(request, info, route, trusted, cors));
        exchange.start();
    }

    /**
     * The current request no longer counts against {@code max_open_requests}: answered, handed to a hold (as
     * Pushpin's proxy lets a request go once the handler accepts it), or its connection closed.
     */
    void requestClosed() {
        if (openRequest) {
            openRequest = false;
            context.openRequests().closed();
        }
    }

    /** A held request goes to the origin again (a GRIP retry): it counts again, without waiting (as Pushpin). */
    void requestReopened() {
        if (!openRequest) {
            openRequest = true;
            context.openRequests().force();
        }
    }

    /** The current request's response (or hold) ended. */
    private void untrack() {
        ConnectionRegistry.Connection c = tracked;
        if (c != null) {
            tracked = null;
            context.metrics().connections().close(c);
        }
    }

    /** Sends a response of our own outside any exchange, then goes on with the next request or closes. */
    private void sendOwn(FullHttpResponse r) {
        setConnectionHeader(r.headers());
        boolean again = keepAlive;
        var f = ctx.writeAndFlush(r);
        if (again) {
            awaitRequest();
            read();
        } else {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The body of the current request cannot be framed (bad chunk size): nothing more can be read. */
    private void badBody(Throwable cause) {
        Exchange ex = exchange;
        exchange = null;
        keepAlive = false;
        if (ex != null && ex.abortForBadBody()) {
            ctx.close();
            return;
        }
        badRequest(BadRequests.describe(cause));
    }

    private void badRequest(String message) {
        keepAlive = false;
        FullHttpResponse r = ErrorResponses.text(ctx.alloc(), version, 400, "Bad Request", message);
        RequestLog.logUnrouted("-", "-", 400, r.content().readableBytes());
        sendOwn(r);
    }

    private String clientIp() {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress addr && addr.getAddress() != null) {
            return NetUtil.toAddressString(addr.getAddress());
        }
        return null;
    }

    // ---- called by the exchange -------------------------------------------------------------------------------

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    HttpVersion version() {
        return version;
    }

    void read() {
        readWanted = true;
        if (bodyAwaited) {
            awaitRequest(); // the body's next bytes are due within the limit
        }
        ctx.read();
    }

    /**
     * {@code FlowControlHandler} counts a read as satisfied by the end of the read cycle it was asked in; a read
     * asked while handling a message of that cycle is then lost. Ask again while a message is still wanted.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readWanted) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    void keepAlive(boolean keepAlive) {
        this.keepAlive &= keepAlive;
    }

    /** Sets {@code Connection} on a response: echo keep-alive to HTTP/1.0, announce a close to HTTP/1.1. */
    void setConnectionHeader(HttpHeaders headers) {
        headers.remove(HttpHeaderNames.CONNECTION);
        if (version.equals(HttpVersion.HTTP_1_0) && keepAlive) {
            headers.set("Connection", "keep-alive");
        } else if (!version.equals(HttpVersion.HTTP_1_0) && !keepAlive) {
            headers.set("Connection", "close");
        }
    }

    void exchangeDone(Exchange done) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        untrack();
        requestClosed();
        nextRequestOrClose();
    }

    /** {@code ex} is spent: from now on the connection carries only a held stream. */
    void streamHeld(ProxyExchange ex, Runnable closeListener) {
        if (exchange == ex) {
            exchange = null;
            streamHeld = true;
            requestClosed();
            heldCloseListener = closeListener;
            requestHandlers.remove(ctx.pipeline());
        }
    }

    @Override
    public void streamEnded() {
        if (!streamHeld) {
            return;
        }
        streamHeld = false;
        heldCloseListener = null;
        untrack();
        nextRequestOrClose();
    }

    @Override
    public void onClose(Runnable listener) {
        heldCloseListener = listener;
    }

    private void nextRequestOrClose() {
        if (keepAlive && !context.isDraining()) {
            requestHandlers.restore(ctx.pipeline());
            awaitRequest();
            read();
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Cuts the connection off: a response already started cannot be completed. */
    @Override
    public void abort() {
        untrack();
        requestClosed();
        exchange = null;
        streamHeld = false;
        heldCloseListener = null;
        ctx.close();
    }

    // ---- connection events ------------------------------------------------------------------------------------

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        context.metrics().connectionClosed(ServerMetrics.ConnectionKind.HTTP);
        requestArrived();
        untrack();
        requestClosed();
        Exchange ex = exchange;
        exchange = null;
        if (ex != null) {
            ex.onClientClosed();
        }
        Runnable listener = heldCloseListener;
        streamHeld = false;
        heldCloseListener = null;
        if (listener != null) {
            listener.run();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RequestLog.debug("client connection error", cause);
        ctx.close();
    }
}
