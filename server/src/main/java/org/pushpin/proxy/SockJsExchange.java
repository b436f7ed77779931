package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.pushpin.routing.Route;

/**
 * An HTTP request under a route's {@code sockjs=} path: its body is read (up to {@link #MAX_BODY}), then it goes
 * to the SockJS endpoint ({@link SockJsHandoff}) whole, which answers it ({@link #respond}, from any thread) at once
 * or later (a poll). The connection takes its next request once the answer is written.
 */
public final class SockJsExchange implements Exchange {
    /** Largest request body taken (Pushpin's SockJS limit); a larger one gets 400. */
    public static final int MAX_BODY = 100_000;

    private final ClientConnection connection;
    private final ProxyContext context;
    private final HttpRequest request;
    private final RequestInfo info;
    private final Route route;
    private final boolean trusted;
    private final EventLoop loop;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean tooLarge;
    private boolean done;
    private boolean gone;
    private Runnable goneListener;
    private Runnable writableListener;
    private boolean streaming;

    SockJsExchange(ClientConnection connection, ProxyContext context, HttpRequest request, RequestInfo info,
                   Route route, boolean trusted) {
        this.connection = connection;
        this.context = context;
        this.request = request;
        this.info = info;
        this.route = route;
        this.trusted = trusted;
        this.loop = connection.channel().eventLoop();
    }

    /** Whether the SockJS endpoint takes {@code request} (its path starts with the route's {@code sockjs=}). */
    static boolean claims(ProxyContext context, Route route, HttpRequest request) {
        return context.sockJs() != null && route.sockjs() != null && !route.targets().isEmpty()
                && pathOf(request.uri()).startsWith(route.sockjs());
    }

    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The query with its {@code ?}, or "". */
    static String queryOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }

    // ---- the connection's side ----------------------------------------------------------------------------------

    @Override
    public void start() {
        if (!(request instanceof HttpContent)) {
            connection.read();
        }
    }

    @Override
    public void onClientContent(HttpContent content) {
        try {
            int n = content.content().readableBytes();
            if (!tooLarge && body.size() + n > MAX_BODY) {
                tooLarge = true;
                body = null;
            }
            if (!tooLarge) {
                content.content().getBytes(content.content().readerIndex(), body, n);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        } finally {
            content.release();
        }
        if (!(content instanceof LastHttpContent)) {
            connection.read();
        } else {
            // handed over: no longer an open request (max_open_requests), as 1.36's proxy lets SockJS requests go
            connection.requestClosed();
            context.sockJs().request(this);
        }
    }

    @Override
    public boolean abortForBadBody() {
        done = true;
        return false;
    }

    @Override
    public void onClientWritabilityChanged(boolean writable) {
        Runnable r = writableListener;
        if (writable && r != null) {
            r.run();
        }
    }

    @Override
    public void onClientClosed() {
        gone = true;
        if (!done) {
            done = true;
            Runnable r = goneListener;
            goneListener = null;
            if (r != null) {
                r.run();
            }
        }
    }

    // ---- the SockJS endpoint's side -------------------------------------------------------------------------------

    public HttpMethod method() {
        return request.method();
    }

    /** The request path (as sent, without the query). */
    public String path() {
        return pathOf(request.uri());
    }

    /** The request-target as sent. */
    public String uri() {
        return request.uri();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** The whole body; empty when it was over {@link #MAX_BODY} bytes ({@link #bodyTooLarge}). */
    public byte[] body() {
        return tooLarge ? new byte[0] : body.toByteArray();
    }

    public boolean bodyTooLarge() {
        return tooLarge;
    }

    /** The route's {@code sockjs=} path. */
    public String basePath() {
        return route.sockjs();
    }

    /** The route's {@code sockjs_as_path=}, or null. */
    public String asPath() {
        return route.sockjsAsPath();
    }

    public boolean tls() {
        return info.tls();
    }

    /** The connection's loop. */
    public EventLoop loop() {
        return loop;
    }

    public ByteBufAllocator alloc() {
        return connection.channel().alloc();
    }

    /** Run on the connection's loop when the client leaves before it was answered (a dropped poll). */
    public void onGone(Runnable listener) {
        if (loop.inEventLoop()) {
            if (gone) {
                listener.run();
            } else if (!done) {
                goneListener = listener;
            }
        } else {
            loop.execute(() -> onGone(listener));
        }
    }

    /** Answers the request (any thread; ownership passes). A second answer, or one to a gone client, is dropped. */
    public void respond(FullHttpResponse response) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> respond(response));
            return;
        }
        if (done) {
            response.release();
            return;
        }
        done = true;
        goneListener = null;
        response.setProtocolVersion(connection.version());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        connection.setConnectionHeader(response.headers());
        RequestLog.logUnrouted(request.method().name(), info.url(), response.status().code(),
                response.content().readableBytes());
        connection.channel().writeAndFlush(response, connection.channel().voidPromise());
        connection.exchangeDone(this);
    }

    /**
     * Starts a streaming answer (from any thread): {@code head} (its body is sent in chunks, or until the
     * connection closes for an HTTP/1.0 client), then {@code prelude}.
     */
    public void startStream(HttpResponse head, String prelude) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> startStream(head, prelude));
            return;
        }
        if (done) {
            return;
        }
        streaming = true;
        head.setProtocolVersion(connection.version());
        if (connection.version().equals(HttpVersion.HTTP_1_0)) {
            connection.keepAlive(false);
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        connection.setConnectionHeader(head.headers());
        RequestLog.logUnrouted(request.method().name(), info.url(), head.status().code(), 0);
        connection.channel().write(head, connection.channel().voidPromise());
        writeChunk(prelude);
    }

    /** Writes and flushes a part of a streaming answer (from any thread, in order). */
    public void writeChunk(String text) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> writeChunk(text));
            return;
        }
        if (done || !streaming) {
            return;
        }
        connection.channel().writeAndFlush(new DefaultHttpContent(
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)), connection.channel().voidPromise());
    }

    /** Ends a streaming answer (from any thread); the connection then takes its next request. */
    public void endStream() {
        if (!loop.inEventLoop()) {
            loop.execute(this::endStream);
            return;
        }
        if (done || !streaming) {
            return;
        }
        done = true;
        goneListener = null;
        writableListener = null;
        connection.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, connection.channel().voidPromise());
        connection.exchangeDone(this);
    }

    /** Whether the client takes more now (any thread): a stream holds back while its socket buffer is full. */
    public boolean isWritable() {
        return connection.channel().isWritable();
    }

    /** Run on the connection's loop when the client's socket takes more again. */
    public void onWritable(Runnable listener) {
        if (loop.inEventLoop()) {
            writableListener = listener;
        } else {
            loop.execute(() -> onWritable(listener));
        }
    }

    /**
     * Proxies a SockJS session that started with this request to the route's origin as a WebSocket client asking
     * for {@code originUri}, with this request's headers (a fresh {@code Sec-WebSocket-Key}, no body headers).
     * Call on {@code session.loop()}.
     */
    public void bridge(ClientWebSocket session, String originUri) {
        HttpHeaders h = request.headers().copy();
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        h.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, Base64.getEncoder().encodeToString(key));
        h.set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketVersion.V13.toHttpHeaderValue());
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, originUri, h);
        RequestInfo i = new RequestInfo(originUri, info.host(), info.tls(), info.clientIp());
        WebSocketStart.bridge(context, new ClientRequest(head, i, route, trusted, null), session);
    }
}
