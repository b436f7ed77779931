package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteRewrite;
import org.pushpin.routing.Target;

/**
 * One client request forwarded to an origin and its response relayed back, with backpressure both ways: the client
 * is read only while the origin connection is writable, the origin only while the client connection is writable.
 * Lives on the client connection's event loop. Holds the request (its head, the body kept for retries) and the
 * exchange's lifecycle, from the head to the end of the response or its hand-over to a hold, and wires the parts
 * that do the work: the {@link OriginLink} (the origin connection), the {@link ResponseRelay} (the response to the
 * client), a {@link GripResponse} for an instruction, {@link Retries} for asking the origin again.
 */
final class ProxyExchange implements TestTarget.Responder {
    private final ClientConnection client;
    private final ProxyContext context;
    private final HttpRequest request;
    /** What the log and the origin request need of the client request besides its head. */
    private final RequestInfo info;
    private final Route route;
    private final boolean passthrough;
    private final boolean trusted;
    private final OriginLink origin;
    private final ResponseRelay relay;
    private boolean requestComplete;
    private long requestBytes;
    /** The first {@link GripResponse#BUFFER_MAX} bytes of the request body, for retries. */
    private CompositeByteBuf requestBody;
    /** The origin's GRIP answer while its body is buffered, else null. */
    private GripResponse grip;
    /** Set once the origin is to be asked again (a retry or a next link). */
    private Retries retries;
    private boolean done;
    /** Handed to a hold: logged with " accept" at once, not again at the end. */
    private boolean accepted;
    private Runnable closeListener;

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
        this.origin = new OriginLink(this, client.channel().eventLoop(), context.connector(), route.targets());
        this.relay = new ResponseRelay(this, client, origin, info, request.method().equals(HttpMethod.HEAD));
    }

    boolean debug() {
        return context.config().proxy().debug() || route.debug();
    }

    HttpRequest request() {
        return request;
    }

    Route route() {
        return route;
    }

    Target target() {
        return origin.target();
    }

    ClientConnection client() {
        return client;
    }

    ByteBuf requestBody() {
        return requestBody == null ? Unpooled.EMPTY_BUFFER : requestBody;
    }

    boolean isDone() {
        return done;
    }

    // ---- asking the origin ------------------------------------------------------------------------------------

    void start() {
        if (origin.testTarget()) {
            if (requestComplete) {
                answerTest();
            } else {
                client.read();
            }
            return;
        }
        origin.open();
    }

    private void answerTest() {
        TestTarget.answer(RouteRewrite.originPath(route, info.uri()), this);
    }

    /** The origin connection is ready: the request goes out; a body still coming is read from the client. */
    void sendRequest() {
        if (requestComplete) {
            // No body (or a retry, whose body was kept).
            origin.send(originRequest(), requestEnd());
        } else {
            origin.send(originRequest());
            client.read();
        }
    }

    private HttpRequest originRequest() {
        String gripSig = !passthrough ? context.signing().sign(route) : null;
        HttpHeaders headers = OriginRequestHeaders.build(request.headers(), context.config().proxy(), route,
                origin.target(), info.clientIp(), info.tls(), trusted, gripSig);
        URI link = nextLink();
        List<Map.Entry<String, String>> extraHeaders = retries != null ? retries.extraHeaders() : null;
        return link != null ? OriginRequests.forLink(link, headers, extraHeaders)
                : OriginRequests.forRequest(request, info.uri(), route, headers, extraHeaders);
    }

    private LastHttpContent requestEnd() {
        return retries != null && retries.repeatsRequest() && requestBody != null
                ? new DefaultLastHttpContent(requestBody.retainedDuplicate()) : LastHttpContent.EMPTY_LAST_CONTENT;
    }

    /**
     * Whether a connection the origin closed before answering can be replaced by a fresh one: nothing of the
     * request body was sent (there was none) and nothing of an answer came.
     */
    boolean repeatable() {
        return !relay.started() && grip == null && requestBytes == 0 && requestComplete;
    }

    /**
     * Sends the original request to the origin again (Pushpin's retry: same route, the kept body, plus
     * {@code extraHeaders} such as {@code Grip-Last}); the answer is handled as the first one was. Only before any
     * response byte went to the client.
     */
    void retry(List<Map.Entry<String, String>> extraHeaders) {
        if (done || relay.started()) {
            return;
        }
        retries().repeatRequest(extraHeaders);
        accepted = false;
        log(info.status(), 0, "retry");
        askOrigin();
    }

    /**
     * Fetches a next link (Grip-Link rel=next) for a started stream: a GET through the same route, its answer
     * buffered and handed to the GRIP hand-off as a continuation of the stream.
     */
    void fetchLink(URI link, List<Map.Entry<String, String>> extraHeaders) {
        retries().fetchLink(link, extraHeaders);
    }

    /** The next link being fetched, or null. */
    private URI nextLink() {
        return retries != null ? retries.link() : null;
    }

    private Retries retries() {
        if (retries == null) {
            retries = new Retries(this, client.channel().eventLoop());
        }
        return retries;
    }

    /** Whether a started stream is still open (a next link of it may be fetched). */
    boolean streaming() {
        return !done && relay.started();
    }

    /** Asks the origin again (a retry or a next link); a hold's close listener belongs to the previous answer. */
    void askOrigin() {
        closeListener = null;
        origin.open();
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
        Target target = origin.target();
        if (target != null && target.kind() == Target.Kind.TEST) {
            content.release();
            if (last) {
                answerTest();
            } else {
                client.read();
            }
            return;
        }
        if (!origin.connected()) {
            content.release();
            return;
        }
        if (origin.send(content) && !last) {
            client.read();
        }
    }

    private void keepForRetry(ByteBuf data) {
        if (requestBytes - data.readableBytes() >= GripResponse.BUFFER_MAX || !data.isReadable()) {
            return;
        }
        if (requestBody == null) {
            requestBody = client.channel().alloc().compositeBuffer();
        }
        int room = GripResponse.BUFFER_MAX - requestBody.readableBytes();
        int take = Math.min(room, data.readableBytes());
        requestBody.addComponent(true, data.copy(data.readerIndex(), take));
    }

    /**
     * The client's body turned out unreadable: the origin request is abandoned (its connection closed, so the
     * origin never sees a complete request). Returns true when a response had already started, so the client
     * connection can only be closed.
     */
    boolean abortForBadBody() {
        boolean started = relay.started();
        done = true;
        origin.close();
        releaseBuffers();
        log(started ? info.status() : 400, relay.bytes(), "error");
        return started;
    }

    void onClientWritabilityChanged(boolean writable) {
        if (writable && relay.started() && !done) {
            origin.read();
        }
    }

    void onClientClosed() {
        if (!done) {
            done = true;
            if (closeListener != null) {
                closeListener.run();
            }
            origin.close();
            releaseBuffers();
            if (!accepted) {
                log(0, relay.bytes(), "error");
            }
        }
    }

    // ---- origin side (through the OriginLink) -----------------------------------------------------------------

    void onOriginWritabilityChanged(boolean writable) {
        if (writable && !requestComplete && !done) {
            client.read();
        }
    }

    /** The origin's final response head: an instruction (or a next link's answer) is buffered, else relayed. */
    void onOriginResponse(HttpResponse response) {
        if (nextLink() != null || (!passthrough && GripResponse.isInstruct(response.headers()))) {
            grip = gripResponse(response, client.channel().alloc().compositeBuffer());
        } else {
            relay.start(response, null);
        }
    }

    /** A GRIP answer to the request, or to the next link being fetched; {@code body} buffers it (or is null). */
    private GripResponse gripResponse(HttpResponse head, CompositeByteBuf body) {
        URI link = nextLink();
        return new GripResponse(this, head, link != null ? link : requestUri(), link != null,
                context.config().handler().connectionSubscriptionMax(), body);
    }

    /** What relative links of an instruction resolve against: the request's URL (a stand-in if it won't parse). */
    private URI requestUri() {
        try {
            return URI.create(info.url());
        } catch (IllegalArgumentException e) {
            return URI.create((info.tls() ? "https://" : "http://") + "localhost/");
        }
    }

    void onOriginContent(HttpContent content) {
        GripResponse g = grip;
        if (g == null) {
            relay.relay(content);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (g.add(content)) {
            origin.read();
            return;
        }
        grip = null;
        if (g.overLimit()) {
            g.relayInstead(last);
        } else {
            origin.release(requestComplete);
            g.handOff(requestBytes);
        }
    }

    /** The origin failed: a 502 if the client has seen nothing yet, else the client response is cut off. */
    void originFailed(String debugMessage) {
        origin.close();
        if (grip != null) {
            grip.release();
            grip = null;
        }
        if (!relay.started()) {
            failBeforeResponse(debugMessage);
            return;
        }
        done = true;
        releaseBuffers();
        if (debug()) {
            relay.writeDebugNote(debugMessage);
        }
        log(info.status(), relay.bytes(), "error");
        client.abort();
    }

    // ---- what a GRIP answer comes to --------------------------------------------------------------------------

    void handOff(Instruct instruct) {
        context.gripHandoff().accept(new ProxyGripExchange(this, instruct));
    }

    /** An instruction too large to buffer: its body is relayed as it comes and a stream hold takes over at its end. */
    void relayInstead(HttpResponse originHead, Instruct instruct, ByteBuf buffered, boolean last) {
        HttpResponse head = RelayGripHandoff.head(client.version(), instruct.response());
        relay.start(originHead, head);
        relay.continueAfterBuffer(buffered, last, instruct.holdMode() == HoldMode.STREAM ? instruct : null);
    }

    /** The origin's body went through: the origin is let go, then the exchange ends or the hold takes it over. */
    void relayed(Instruct handover) {
        origin.release(requestComplete);
        if (handover != null) {
            handOff(handover);
        } else {
            finish(relay.bytes(), null);
        }
    }

    /** A next link answered non-2xx: asked again later, or the stream ends. */
    void nextLinkFailed() {
        if (!retries.retryLinkLater(relay.bytes())) {
            endHeldStream();
        }
    }

    void nextLinkTooLarge() {
        origin.release(requestComplete);
        endHeldStream();
    }

    @Override
    public void instruct(HttpResponse head, ByteBuf body) {
        gripResponse(head, null).handOff(body, requestBytes);
    }

    // ---- ending -----------------------------------------------------------------------------------------------

    void failBeforeResponse(String debugMessage) {
        if (relay.started()) {
            // A next link of a stream already under way failed: the stream can only end (debug: saying why).
            if (debug()) {
                writeHeld(Unpooled.copiedBuffer("\n\n" + debugMessage + "\n", StandardCharsets.UTF_8));
            }
            endHeldStream();
            return;
        }
        respond(ErrorResponses.proxyError(client.channel().alloc(), client.version(), debug(), debugMessage), null);
    }

    @Override
    public void respondText(int code, String reason, String text) {
        respondText(code, reason, text, null);
    }

    void respondText(int code, String reason, String text, String logSuffix) {
        respond(ErrorResponses.text(client.channel().alloc(), client.version(), code, reason, text), logSuffix);
    }

    /** Sends a complete response of Pushpin's own and ends the exchange. */
    void respond(FullHttpResponse response, String logSuffix) {
        if (done) {
            response.release();
            return;
        }
        origin.release(requestComplete);
        finish(relay.respond(response), logSuffix);
    }

    private void finish(long bytes, String logSuffix) {
        done = true;
        releaseBuffers();
        if (!accepted) {
            log(info.status(), bytes, logSuffix);
        }
        client.exchangeDone(this);
    }

    private void releaseBuffers() {
        if (requestBody != null) {
            requestBody.release();
            requestBody = null;
        }
        if (grip != null) {
            grip.release();
            grip = null;
        }
    }

    private void log(int status, long bytes, String suffix) {
        if (!RequestLog.enabled()) {
            return;
        }
        var proxy = context.config().proxy();
        Target target = origin.target();
        RequestLog.log(request.method().name(), info.url(), target != null ? target.address() : null,
                proxy.logFrom() ? info.clientIp() : null, route.id(), status, bytes, suffix,
                proxy.logUserAgent() ? request.headers().get("User-Agent") : null);
    }

    // ---- held by a GRIP hold (through ProxyGripExchange) ------------------------------------------------------

    void onClientClose(Runnable listener) {
        this.closeListener = listener;
    }

    private void accept(int status) {
        if (!accepted) {
            accepted = true;
            info.status(status);
            log(status, 0, "accept");
        }
    }

    void held() {
        accept(200);
    }

    boolean streamStarted() {
        return relay.started();
    }

    /** Whether the started response is chunked (HTTP/1.1) rather than close-delimited. */
    boolean responseChunked() {
        return relay.chunked();
    }

    void startHeldStream(HttpResponse head) {
        if (done) {
            return;
        }
        if (relay.started()) {
            // Handed over after an oversized body was relayed: the head is already out.
            accept(info.status());
            return;
        }
        accept(head.status().code());
        relay.startStream(head);
    }

    void writeHeld(ByteBuf data) {
        if (done) {
            data.release();
            return;
        }
        relay.write(data);
    }

    /** Shared published content for a stream that still has its encoder (one with a next link): it frames. */
    void writeHeldShared(ByteBuf content) {
        if (content != null && content.isReadable()) {
            writeHeld(content.retainedDuplicate());
        }
    }

    /**
     * A stream hold that will never repeat the request: hands the connection to the hold (see
     * {@link HeldConnection}) and lets go of everything else — the request, the instruction, this exchange, the
     * request decoding handlers and the response encoder (nothing is read from the connection meanwhile; they come
     * back when the stream ends). Most of what an idle held connection would otherwise keep.
     */
    HeldConnection compactForStream() {
        done = true;
        releaseBuffers();
        client.streamHeld(this, closeListener);
        return client;
    }

    void endHeldStream() {
        if (done) {
            return;
        }
        relay.end();
        finish(relay.bytes(), null);
    }

    void abortHeld() {
        if (done) {
            return;
        }
        done = true;
        releaseBuffers();
        client.abort();
    }
}
