package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * One client request forwarded to an origin and its response relayed back, with backpressure both ways: the client
 * is read only while the origin connection is writable, the origin only while the client connection is writable.
 * Lives on the client connection's event loop; the origin connection is opened on (or leased from) the same loop.
 * A GRIP response is buffered (up to {@link #GRIP_BUFFER_MAX} bytes) and handed to {@link GripResponse}.
 */
final class ProxyExchange implements OriginListener {
    /** Request bytes kept for GRIP retries, and the largest instruction body accepted. */
    static final int GRIP_BUFFER_MAX = 100_000;

    private final ClientConnection client;
    private final ProxyContext context;
    /** The client's request head; slimmed to method, URI and version once a stream hold no longer needs it. */
    HttpRequest request;
    /** What the log needs of the request; emptied by {@link #compactForStream}. */
    RequestInfo info;
    final Route route;
    final boolean passthrough;
    private final boolean trusted;

    /** A failed write to the origin closes it; the exchange hears of it through {@link #onOriginClosed}. */
    private static final ChannelFutureListener ORIGIN_WRITE = f -> {
        if (!f.isSuccess()) {
            RequestLog.debug("write to origin failed", f.cause());
            f.channel().close();
        }
    };

    private Target target;
    private int targetIndex;
    private Channel origin;
    private boolean originReused;
    private boolean requestComplete;
    private long requestBytes;
    private CompositeByteBuf requestBody;

    private HttpResponse originResponse;
    private boolean skippingInterim;
    private boolean originResponseComplete;
    private boolean responseStarted;
    private boolean responseChunked;
    private CompositeByteBuf gripBody;
    private long responseBytes;
    private boolean done;
    /** Handed to a hold: logged with " accept" at once, not again at the end. */
    private boolean accepted;
    private Runnable closeListener;
    /** An instruction whose body was too large to buffer: handed to the hold once the body has been relayed. */
    private Instruct handover;
    /** Set while a next link is fetched (GET): the link as resolved, its path and its authority for Host. */
    private java.net.URI link;
    /** Non-2xx answers of the current next link so far. */
    private int linkFailures;
    /** Set on a retry: the headers added to the repeated origin request. */
    private List<Map.Entry<String, String>> retryHeaders;

    ProxyExchange(ClientConnection client, ProxyContext context, HttpRequest request, RequestInfo info, Route route,
                  boolean trusted) {
        this.client = client;
        this.context = context;
        this.request = request;
        this.info = info;
        this.route = route;
        this.trusted = trusted;
        this.passthrough = route.noGrip() || trusted;
        // A request without a body is complete with its head; the empty last part the decoder still emits is
        // dropped by the connection between requests.
        this.requestComplete = request instanceof LastHttpContent
                || (!HttpUtil.isContentLengthSet(request) && !HttpUtil.isTransferEncodingChunked(request));
    }

    boolean debug() {
        return context.config().proxy().debug() || route.debug();
    }

    Target target() {
        return target;
    }

    ByteBuf requestBody() {
        return requestBody == null ? Unpooled.EMPTY_BUFFER : requestBody;
    }

    // ---- starting ---------------------------------------------------------------------------------------------

    void start() {
        Target first = route.targets().get(0);
        if (first.kind() == Target.Kind.TEST) {
            target = first;
            if (requestComplete) {
                TestTarget.answer(this);
            } else {
                client.read();
            }
            return;
        }
        connect(0);
    }

    private void connect(int index) {
        targetIndex = index;
        target = route.targets().get(index);
        if (target.kind() != Target.Kind.ORIGIN) {
            failBeforeResponse("Error: zhttp service for route is unreachable.");
            return;
        }
        OriginKey key = new OriginKey(target.host(), target.port(), target.ssl(), target.insecure());
        Channel pooled = OriginPool.current().lease(key);
        if (pooled != null) {
            attach(pooled, true);
            return;
        }
        context.connector().connect(client.channel().eventLoop(), key).addListener((ChannelFuture f) -> {
            if (done) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
                return;
            }
            if (f.isSuccess()) {
                attach(f.channel(), false);
            } else if (index + 1 < route.targets().size()) {
                connect(index + 1);
            } else {
                failBeforeResponse("Unable to connect to any targets. Tried: " + triedTargets());
            }
        });
    }

    private String triedTargets() {
        List<String> tried = new ArrayList<>();
        for (int i = 0; i <= targetIndex; i++) {
            tried.add(route.targets().get(i).address());
        }
        return String.join(", ", tried);
    }

    private void attach(Channel ch, boolean reused) {
        origin = ch;
        originReused = reused;
        ch.pipeline().get(OriginHandler.class).attach(this);
        if (requestComplete) {
            // No body (or a retry, whose body was kept): the encoder also needs the end of the message before it
            // takes the next request.
            ch.write(originRequest(), ch.voidPromise());
            LastHttpContent end = retryHeaders != null && requestBody != null && link == null
                    ? new DefaultLastHttpContent(requestBody.retainedDuplicate()) : LastHttpContent.EMPTY_LAST_CONTENT;
            ch.writeAndFlush(end).addListener(ORIGIN_WRITE);
        } else {
            ch.writeAndFlush(originRequest()).addListener(ORIGIN_WRITE);
            client.read();
        }
        ch.read();
    }

    private HttpRequest originRequest() {
        String gripSig = !passthrough ? context.signing().sign(route) : null;
        HttpHeaders headers = OriginRequestHeaders.build(request.headers(), context.config().proxy(), route, target,
                info.clientIp(), info.tls(), trusted, gripSig);
        return link != null ? OriginRequests.forLink(link, headers, retryHeaders)
                : OriginRequests.forRequest(request, info.uri(), route, headers, retryHeaders);
    }

    /**
     * Fetches a next link (Grip-Link rel=next) for a started stream: a GET through the same route, its answer
     * buffered and handed to the GRIP hand-off as a continuation of the stream.
     */
    void fetchLink(java.net.URI next, List<Map.Entry<String, String>> extraHeaders) {
        linkFailures = 0;
        fetchLinkAgain(next, extraHeaders);
    }

    /**
     * A next link answered non-2xx: while nothing of the body went out, Pushpin asks again after 1, 2, 4, 8 and 16 s
     * (plus up to 1 s); otherwise, or after the fifth failure, the stream ends. Returns false when it ended.
     */
    boolean retryLinkLater() {
        if (responseBytes > 0 || linkFailures >= 5) {
            return false;
        }
        long delay = (1000L << linkFailures) + java.util.concurrent.ThreadLocalRandom.current().nextLong(1000);
        linkFailures++;
        java.net.URI again = link;
        List<Map.Entry<String, String>> headers = retryHeaders;
        client.channel().eventLoop().schedule(() -> fetchLinkAgain(again, headers), delay,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    private void fetchLinkAgain(java.net.URI next, List<Map.Entry<String, String>> extraHeaders) {
        if (done || !responseStarted) {
            return;
        }
        link = next;
        retryHeaders = List.copyOf(extraHeaders);
        originResponse = null;
        originResponseComplete = false;
        skippingInterim = false;
        closeListener = null;
        connect(0);
    }

    boolean fetchingLink() {
        return link != null;
    }

    java.net.URI link() {
        return link;
    }

    boolean streamStarted() {
        return responseStarted;
    }

    /**
     * Sends the original request to the origin again (Pushpin's retry: same route, the kept body, plus
     * {@code extraHeaders} such as {@code Grip-Last}); the answer is handled as the first one was. Only before any
     * response byte went to the client.
     */
    void retry(List<Map.Entry<String, String>> extraHeaders) {
        if (done || responseStarted) {
            return;
        }
        retryHeaders = List.copyOf(extraHeaders);
        originResponse = null;
        originResponseComplete = false;
        skippingInterim = false;
        accepted = false;
        closeListener = null;
        RequestLog.log(this, info.status(), 0, "retry");
        connect(0);
    }

    // ---- client side ------------------------------------------------------------------------------------------

    void onClientContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        int n = content.content().readableBytes();
        requestBytes += n;
        keepForRetry(content.content());
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        if (target != null && target.kind() == Target.Kind.TEST) {
            content.release();
            if (last) {
                TestTarget.answer(this);
            } else {
                client.read();
            }
            return;
        }
        if (origin == null) {
            content.release();
            return;
        }
        origin.writeAndFlush(content).addListener(ORIGIN_WRITE);
        if (!last && origin.isWritable()) {
            client.read();
        }
    }

    private void keepForRetry(ByteBuf data) {
        if (requestBytes - data.readableBytes() >= GRIP_BUFFER_MAX || !data.isReadable()) {
            return;
        }
        if (requestBody == null) {
            requestBody = client.channel().alloc().compositeBuffer();
        }
        int room = GRIP_BUFFER_MAX - requestBody.readableBytes();
        int take = Math.min(room, data.readableBytes());
        requestBody.addComponent(true, data.copy(data.readerIndex(), take));
    }

    /**
     * The client's body turned out unreadable: the origin request is abandoned (its connection closed, so the
     * origin never sees a complete request). Returns true when a response had already started, so the client
     * connection can only be closed.
     */
    boolean abortForBadBody() {
        boolean started = responseStarted;
        done = true;
        if (origin != null) {
            Channel ch = origin;
            origin = null;
            ch.pipeline().get(OriginHandler.class).detach();
            ch.close();
        }
        releaseBuffers();
        RequestLog.log(this, started ? info.status() : 400, responseBytes, "error");
        return started;
    }

    void onClientWritabilityChanged(boolean writable) {
        if (writable && origin != null && responseStarted && !done) {
            origin.read();
        }
    }

    void onClientClosed() {
        if (!done) {
            done = true;
            if (closeListener != null) {
                closeListener.run();
            }
            if (origin != null) {
                origin.pipeline().get(OriginHandler.class).detach();
                origin.close();
            }
            releaseBuffers();
            if (!accepted) {
                RequestLog.log(this, 0, responseBytes, "error");
            }
        }
    }

    // ---- origin side ------------------------------------------------------------------------------------------

    @Override
    public void onOriginWritabilityChanged(boolean writable) {
        if (writable && !requestComplete && !done) {
            client.read();
        }
    }

    @Override
    public void onOriginResponse(HttpResponse response) {
        if (done) {
            return;
        }
        if (response.decoderResult().isFailure()) {
            abortOrigin("Error: bad response from origin: " + response.decoderResult().cause().getMessage());
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            skippingInterim = true;
        } else {
            originResponse = response;
            if (link != null || (!passthrough && GripResponse.isInstruct(response.headers()))) {
                gripBody = client.channel().alloc().compositeBuffer();
            } else {
                startRelay(response, null);
            }
        }
        // The body may arrive in later reads: ask for them (the decoder only asks by itself when it produced
        // nothing).
        readOrigin();
    }

    /** A body of unknown length: chunked to HTTP/1.1 clients, close-delimited (no keep-alive) to HTTP/1.0 ones. */
    private void frameOpenEnded(HttpHeaders h) {
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (client.version().equals(HttpVersion.HTTP_1_1)) {
            h.set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
            responseChunked = true;
        } else {
            client.keepAlive(false);
        }
    }

    /** Sends the response head for a streamed relay; {@code headers} replaces the origin's when given. */
    void startRelay(HttpResponse response, HttpResponse replacement) {
        HttpResponse head = replacement != null ? replacement : new DefaultHttpResponse(client.version(),
                response.status(), response.headers().copy());
        HttpHeaders h = head.headers();
        boolean knownLength = replacement == null && h.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !HttpUtil.isTransferEncodingChunked(response);
        ResponseHeaders.removeHopByHop(h);
        int code = head.status().code();
        if (request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304) {
            responseChunked = false;
        } else if (!knownLength) {
            frameOpenEnded(h);
        }
        client.setConnectionHeader(h);
        responseStarted = true;
        info.status(head.status().code());
        client.channel().writeAndFlush(head);
    }

    @Override
    public void onOriginContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        if (skippingInterim) {
            content.release();
            if (content instanceof LastHttpContent) {
                skippingInterim = false;
            }
            origin.read();
            return;
        }
        if (content instanceof LastHttpContent) {
            originResponseComplete = true;
        }
        if (gripBody != null) {
            onGripContent(content);
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        responseBytes += content.content().readableBytes();
        if (request.method().equals(HttpMethod.HEAD)) {
            content.release();
            if (content instanceof LastHttpContent) {
                completeRelay(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            return;
        }
        if (content instanceof LastHttpContent last) {
            completeRelay(last);
            return;
        }
        client.channel().writeAndFlush(content);
        if (client.channel().isWritable()) {
            origin.read();
        }
    }

    private void onGripContent(HttpContent content) {
        ByteBuf data = content.content();
        if (gripBody.readableBytes() + data.readableBytes() > GRIP_BUFFER_MAX) {
            CompositeByteBuf buffered = gripBody;
            gripBody = null;
            buffered.addComponent(true, data.retain());
            content.release();
            if (link != null) {
                // A next-link answer too large to inspect: the stream cannot go on correctly.
                buffered.release();
                originDone();
                endHeldStream();
                return;
            }
            GripResponse.tooLarge(this, buffered, content instanceof LastHttpContent);
            return;
        }
        gripBody.addComponent(true, data.retain());
        content.release();
        if (content instanceof LastHttpContent) {
            CompositeByteBuf body = gripBody;
            gripBody = null;
            originDone();
            try {
                GripResponse.handle(this, originResponse, body);
            } finally {
                body.release();
            }
        } else {
            origin.read();
        }
    }

    /** Continues a relay that was started from buffered GRIP bytes: the rest of the origin body streams through. */
    void continueRelayAfterBuffer(ByteBuf buffered, boolean last, Instruct handover) {
        this.handover = handover;
        responseBytes += buffered.readableBytes();
        if (last) {
            completeRelay(new DefaultLastHttpContent(buffered.retain()));
        } else {
            client.channel().writeAndFlush(new DefaultHttpContent(buffered.retain()));
            origin.read();
        }
    }

    private void completeRelay(LastHttpContent last) {
        if (handover != null) {
            // An oversized stream-hold instruction: its body went through as it came; now the hold takes over
            // the open stream.
            if (last.content().isReadable()) {
                client.channel().writeAndFlush(new DefaultHttpContent(last.content().retain()));
            }
            last.release();
            originDone();
            Instruct instruct = handover;
            handover = null;
            context.gripHandoff().accept(new ProxyGripExchange(this, instruct));
            return;
        }
        client.channel().writeAndFlush(last);
        originDone();
        finish(responseBytes, null);
    }

    /** Gives the origin connection back to the pool when it can carry another request, else closes it. */
    private void originDone() {
        if (origin == null) {
            return;
        }
        Channel ch = origin;
        origin = null;
        OriginHandler handler = ch.pipeline().get(OriginHandler.class);
        handler.detach();
        boolean reusable = originResponse != null && HttpUtil.isKeepAlive(originResponse);
        if (requestComplete && originResponseComplete && reusable) {
            OriginPool.current().release(handler.key(), ch);
        } else {
            ch.close();
        }
    }

    @Override
    public void onOriginClosed() {
        if (done) {
            return;
        }
        Channel ch = origin;
        origin = null;
        if (!responseStarted && gripBody == null && originResponse == null && originReused && requestBytes == 0
                && requestComplete) {
            // A pooled connection the origin closed just as we reused it: try once more on a fresh one.
            connectFresh();
            return;
        }
        if (ch != null) {
            ch.close();
        }
        abortOrigin("Error: origin closed the connection before the response was complete.");
    }

    private void connectFresh() {
        OriginKey key = new OriginKey(target.host(), target.port(), target.ssl(), target.insecure());
        context.connector().connect(client.channel().eventLoop(), key).addListener((ChannelFuture f) -> {
            if (done) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
            } else if (f.isSuccess()) {
                attach(f.channel(), false);
            } else {
                failBeforeResponse("Unable to connect to any targets. Tried: " + triedTargets());
            }
        });
    }

    @Override
    public void onOriginError(Throwable cause) {
        RequestLog.debug("origin error", cause);
    }

    /** The origin failed: a 502 if the client has seen nothing yet, else the client response is cut off. */
    private void abortOrigin(String debugMessage) {
        if (origin != null) {
            Channel ch = origin;
            origin = null;
            ch.pipeline().get(OriginHandler.class).detach();
            ch.close();
        }
        if (gripBody != null) {
            gripBody.release();
            gripBody = null;
        }
        if (!responseStarted) {
            failBeforeResponse(debugMessage);
            return;
        }
        done = true;
        releaseBuffers();
        if (debug() && responseChunked) {
            client.channel().writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("\n\n" + debugMessage + "\n",
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        RequestLog.log(this, info.status(), responseBytes, "error");
        client.abort();
    }

    // ---- ending -----------------------------------------------------------------------------------------------

    void failBeforeResponse(String debugMessage) {
        if (responseStarted) {
            // A next link of a stream already under way failed: the stream can only end (debug: saying why).
            if (debug()) {
                writeHeld(Unpooled.copiedBuffer("\n\n" + debugMessage + "\n", java.nio.charset.StandardCharsets.UTF_8));
            }
            endHeldStream();
            return;
        }
        respond(ErrorResponses.proxyError(client.channel().alloc(), client.version(), debug(), debugMessage), null);
    }

    /** Sends a complete response of Pushpin's own and ends the exchange. */
    void respond(FullHttpResponse response, String logSuffix) {
        if (done) {
            response.release();
            return;
        }
        if (origin != null) {
            originDone();
        }
        int n = response.content().readableBytes();
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        client.setConnectionHeader(response.headers());
        responseStarted = true;
        info.status(response.status().code());
        client.channel().writeAndFlush(response);
        finish(n, logSuffix);
    }

    private void finish(long bytes, String logSuffix) {
        done = true;
        releaseBuffers();
        if (!accepted) {
            RequestLog.log(this, info.status(), bytes, logSuffix);
        }
        client.exchangeDone(this);
    }

    // ---- held by a GRIP hold --------------------------------------------------------------------------------

    boolean isDone() {
        return done;
    }

    void onClientClose(Runnable listener) {
        this.closeListener = listener;
    }

    private void accept(int status) {
        if (!accepted) {
            accepted = true;
            info.status(status);
            RequestLog.log(this, status, 0, "accept");
        }
    }

    void held() {
        accept(200);
    }

    void startHeldStream(HttpResponse head) {
        if (done) {
            return;
        }
        if (responseStarted) {
            // Handed over after an oversized body was relayed: the head is already out.
            accept(info.status());
            return;
        }
        HttpHeaders h = head.headers();
        ResponseHeaders.removeHopByHop(h);
        frameOpenEnded(h);
        client.setConnectionHeader(h);
        responseStarted = true;
        accept(head.status().code());
        client.channel().writeAndFlush(head);
    }

    void writeHeld(ByteBuf data) {
        if (done || !responseStarted) {
            data.release();
            return;
        }
        responseBytes += data.readableBytes();
        client.channel().writeAndFlush(responseChunked ? new DefaultHttpContent(data) : data);
    }

    /** Shared published content for a stream that still has its encoder (one with a next link): it frames. */
    void writeHeldShared(ByteBuf content) {
        if (content != null && content.isReadable()) {
            writeHeld(content.retainedDuplicate());
        }
    }

    /**
     * A stream hold that will never repeat the request: hands the connection to the hold (see {@link HeldConnection}) and lets go of
     * everything else — the request, the instruction, this exchange, the request decoding handlers and the response
     * encoder (nothing is read from the connection meanwhile; they come back when the stream ends). Most of what an
     * idle held connection would otherwise keep.
     */
    HeldConnection compactForStream() {
        done = true;
        releaseBuffers();
        client.streamHeld(this, closeListener);
        return client;
    }

    /** Whether the started response is chunked (HTTP/1.1) rather than close-delimited. */
    boolean responseChunked() {
        return responseChunked;
    }

    void endHeldStream() {
        if (done) {
            return;
        }
        client.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        finish(responseBytes, null);
    }

    void abortHeld() {
        if (done) {
            return;
        }
        done = true;
        releaseBuffers();
        client.abort();
    }

    private void releaseBuffers() {
        if (requestBody != null) {
            requestBody.release();
            requestBody = null;
        }
        if (gripBody != null) {
            gripBody.release();
            gripBody = null;
        }
    }

    HttpResponse originResponseHead() {
        return originResponse;
    }

    long requestBytes() {
        return requestBytes;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    ClientConnection client() {
        return client;
    }

    ProxyContext context() {
        return context;
    }

    void readOrigin() {
        if (origin != null) {
            origin.read();
        }
    }

}
