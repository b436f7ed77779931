package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Target;

/**
 * One client request forwarded to an origin and its response relayed back, with backpressure both ways: the client
 * is read only while the origin connection is writable, the origin only while the client connection is writable.
 * Lives on the client connection's event loop. Holds the exchange's lifecycle, from the request head to the end of
 * the response or its hand-over to a hold, and wires the parts that do the work: the {@link ClientRequest}, the
 * {@link OriginLink} (the origin connection), the {@link ResponseRelay} (the response to the client), a
 * {@link GripResponse} for an instruction, {@link Retries} for asking the origin again.
 */
final class ProxyExchange implements Exchange, TestTarget.Responder {
    private final ClientConnection client;
    private final ProxyContext context;
    private final ClientRequest request;
    private final OriginLink origin;
    private final ResponseRelay relay;
    /** The origin's GRIP answer while its body is buffered, else null. */
    private GripResponse grip;
    /** Set once the origin is to be asked again (a retry or a next link). */
    private Retries retries;
    private boolean done;
    /** Handed to a hold: logged with " accept" at once, not again at the end. */
    private boolean accepted;
    /** Asked again (Pushpin's retry): the client is held already, a hold in the new answer is not a new one. */
    private boolean retried;
    private Runnable closeListener;
    /** The origin request this exchange leads for identical ones ({@link SharedRequests}), while its answer comes. */
    private SharedRequest share;

    ProxyExchange(ClientConnection client, ProxyContext context, ClientRequest request) {
        this.client = client;
        this.context = context;
        this.request = request;
        this.origin = new OriginLink(this, client, request, context);
        this.relay = new ResponseRelay(this, client, origin, request);
    }

    boolean debug() {
        return context.config().proxy().debug() || request.route().debug();
    }

    org.pushpin.routing.Route route() {
        return request.route();
    }

    Target target() {
        return origin.target();
    }

    ClientConnection client() {
        return client;
    }

    boolean isDone() {
        return done;
    }

    // ---- asking the origin ------------------------------------------------------------------------------------

    @Override
    public void start() {
        if (origin.testTarget()) {
            if (request.complete()) {
                answerTest();
            } else {
                client.read();
            }
            return;
        }
        if (!join(SharedRequests.keyOf(request, context.config().handler().shareAll()))) {
            origin.open();
        }
    }

    /** Joins the identical request in flight (true: its answer is awaited), or leads one under {@code key}. */
    private boolean join(String key) {
        if (key == null) {
            return false;
        }
        share = context.sharedRequests().joinOrLead(key, this);
        return share == null;
    }

    // ---- a shared request's follower (on this exchange's loop) ------------------------------------------------

    /** The answer of the shared request this exchange joined: {@code body} is this exchange's to release. */
    void sharedAnswer(HttpResponse head, ByteBuf body, Target from) {
        if (done) {
            body.release();
            return;
        }
        origin.answeredBy(from);
        if (request.link() != null || (!request.passthrough() && GripResponse.isInstruct(head.headers()))) {
            try {
                instruct(head, body);
            } finally {
                body.release();
            }
            return;
        }
        relay.start(head, null);
        relay.relay(new DefaultLastHttpContent(body));
    }

    void sharedFailure(String debugMessage) {
        if (!done) {
            failBeforeResponse(debugMessage);
        }
    }

    /** Asks again: leads {@code next} if given (the rest follow it), else joins or leads {@code key}; null: alone. */
    void askShared(String key, SharedRequest next) {
        if (done && next != null) {
            next.leaderGone(); // gone meanwhile too: the next one asks
        } else if (next != null) {
            share = next;
            origin.open();
        } else if (!done && !join(key)) {
            origin.open();
        }
    }

    private void answerTest() {
        TestTarget.answer(TestTarget.path(request.route(), request.originPath()), this);
    }

    /** How requests to this exchange's origin are signed ({@code Grip-Sig}). */
    RequestSigning signing() {
        return context.signing();
    }

    /** Whether an answer is on its way to the client: relayed, or a GRIP answer being buffered. */
    boolean answering() {
        return relay.started() || grip != null;
    }

    /** What asks the origin again for this exchange (a retry, a next link); made when first needed. */
    Retries retries() {
        if (retries == null) {
            retries = new Retries(this, request, relay, client.channel().eventLoop());
        }
        return retries;
    }

    /** The request is sent again (Pushpin's retry): logged, and its answer is to be handed over anew. */
    void retrying() {
        accepted = false;
        client.requestReopened();
        retried = true;
        log(request.info().status(), 0, "retry");
        askOrigin();
    }

    /** Asks the origin again (a retry or a next link); a hold's close listener belongs to the previous answer. */
    void askOrigin() {
        closeListener = null;
        if (origin.testTarget()) {
            answerTest(); // the test target answers a retry as it answered the request (it holds again)
            return;
        }
        if (!join(SharedRequests.keyOf(request, context.config().handler().shareAll()))) {
            origin.open();
        }
    }

    // ---- client side ------------------------------------------------------------------------------------------

    @Override
    public void onClientContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        boolean last = request.received(content, client.channel().alloc());
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

    /**
     * The client's body turned out unreadable: the origin request is abandoned (its connection closed, so the
     * origin never sees a complete request). Returns true when a response had already started, so the client
     * connection can only be closed.
     */
    @Override
    public boolean abortForBadBody() {
        boolean started = relay.started();
        done = true;
        origin.close();
        releaseBuffers();
        log(started ? request.info().status() : 400, relay.bytes(), "error");
        return started;
    }

    @Override
    public void onClientWritabilityChanged(boolean writable) {
        if (writable && relay.started() && !done) {
            origin.read();
        }
    }

    @Override
    public void onClientClosed() {
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
        if (writable && !request.complete() && !done) {
            client.read();
        }
    }

    /** The origin's final response head: an instruction (or a next link's answer) is buffered, else relayed. */
    void onOriginResponse(HttpResponse response) {
        boolean isGrip = request.link() != null
                || (!request.passthrough() && GripResponse.isInstruct(response.headers()));
        if (share != null && !share.response(response, isGrip, bodiless(response), origin.target())) {
            share = null;
        }
        if (isGrip) {
            grip = gripResponse(response, client.channel().alloc().compositeBuffer());
        } else {
            relay.start(response, null);
        }
    }

    private boolean bodiless(HttpResponse response) {
        int code = response.status().code();
        return request.head().method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
    }

    /** A GRIP answer to the request, or to the next link being fetched; {@code body} buffers it (or is null). */
    private GripResponse gripResponse(HttpResponse head, CompositeByteBuf body) {
        URI link = request.link();
        return new GripResponse(this, head, link != null ? link : request.uri(), link != null,
                context.config().handler().connectionSubscriptionMax(), body);
    }

    void onOriginContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (share != null && (!share.content(content, last) || last)) {
            share = null; // (the followers' copy was taken before this exchange consumes the part)
        }
        GripResponse g = grip;
        if (g == null) {
            relay.relay(content);
            return;
        }
        if (g.add(content)) {
            origin.read();
            return;
        }
        grip = null;
        if (g.overLimit()) {
            g.relayInstead(last);
        } else {
            origin.release();
            g.handOff(request.bytes());
        }
    }

    /** The origin failed: a 502 if the client has seen nothing yet, else the client response is cut off. */
    void originFailed(String debugMessage) {
        failShare(debugMessage);
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
        log(request.info().status(), relay.bytes(), "error");
        client.abort();
    }

    // ---- what a GRIP answer comes to --------------------------------------------------------------------------

    /**
     * The instruction goes to the GRIP hand-off, which decides what the client gets; but a new hold is refused
     * while the heap is under pressure (a next link of a started stream, or a retry, belongs to a hold already).
     */
    void handOff(Instruct instruct) {
        if (instruct.holdMode() != HoldMode.NONE && !relay.started() && !retried
                && context.holdAdmission().refuses()) {
            client.keepAlive(false);
            String what = instruct.holdMode() == HoldMode.STREAM ? "stream" : "long-poll";
            respond(context.holdAdmission().refusal(client.channel().alloc(), client.version(), what), "refused");
            return;
        }
        context.gripHandoff().accept(new ProxyGripExchange(this, request, relay, instruct));
    }

    /** An instruction too large to buffer: its body is relayed as it comes and a stream hold takes over at its end. */
    void relayInstead(HttpResponse originHead, Instruct instruct, ByteBuf buffered, boolean last) {
        relay.startFromBuffer(originHead, instruct, buffered, last);
    }

    /** The origin's body went through: the origin is let go, then the exchange ends or the hold takes it over. */
    void relayed(Instruct handover) {
        origin.release();
        if (handover != null) {
            handOff(handover);
        } else {
            finish(relay.bytes(), null);
        }
    }

    /** A next link's answer too large to inspect: the stream cannot go on correctly. */
    void nextLinkTooLarge() {
        origin.release();
        endHeldStream();
    }

    @Override
    public void instruct(HttpResponse head, ByteBuf body) {
        gripResponse(head, null).handOff(body, request.bytes());
    }

    // ---- ending -----------------------------------------------------------------------------------------------

    void failBeforeResponse(String debugMessage) {
        failShare(debugMessage);
        if (relay.started()) {
            // A next link of a stream already under way failed: the stream can only end (debug: saying why).
            if (debug() && !done) {
                relay.write(Unpooled.copiedBuffer("\n\n" + debugMessage + "\n", StandardCharsets.UTF_8));
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
        send(response, true, logSuffix);
    }

    /** Sends the answer to an instruction (without a hold, or the hold's) and ends the exchange. */
    void respondGrip(FullHttpResponse response) {
        send(response, false, null);
    }

    /** {@code own}: Pushpin's own answer rather than the origin's (auto_cross_origin tells them apart). */
    private void send(FullHttpResponse response, boolean own, String logSuffix) {
        if (done) {
            response.release();
            return;
        }
        origin.release();
        CrossOrigin co = request.crossOrigin();
        if (co == null) {
            finish(relay.respond(response), logSuffix);
            return;
        }
        int status = response.status().code();
        // a held request is answered as Pushpin's handler answers it; anything else as its proxy does
        long bytes = relay.respond(accepted ? co.held(response) : co.own(response, own));
        request.info().status(status); // the log shows the status a JSON-P answer carries inside (as 1.36)
        finish(bytes, logSuffix);
    }

    private void finish(long bytes, String logSuffix) {
        done = true;
        releaseBuffers();
        if (!accepted) {
            log(request.info().status(), bytes, logSuffix);
        }
        client.exchangeDone(this);
    }

    /** The origin failed: those sharing this exchange's origin request get the same error. */
    private void failShare(String debugMessage) {
        if (share != null) {
            SharedRequest s = share;
            share = null;
            s.failed(debugMessage);
        }
    }

    private void releaseBuffers() {
        if (share != null) {
            SharedRequest s = share;
            share = null;
            s.leaderGone();
        }
        request.release();
        relay.release();
        if (grip != null) {
            grip.release();
            grip = null;
        }
    }

    private void log(int status, long bytes, String suffix) {
        request.log(context.config().proxy(), origin.target(), status, bytes, suffix);
    }

    // ---- held by a GRIP hold (through ProxyGripExchange) ------------------------------------------------------

    void onClientClose(Runnable listener) {
        this.closeListener = listener;
    }

    /** Handed to a hold: logged at once with the status that goes out (once, however often the hold says so). */
    void accept(int status) {
        if (!accepted) {
            accepted = true;
            client.requestClosed();
            request.info().status(status);
            log(status, 0, "accept");
        }
    }

    /**
     * A stream hold that will never repeat the request ({@link GripExchange#compact()}): the connection and the
     * close listener go to the hold, everything else is let go. Most of what an idle held connection would keep.
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
