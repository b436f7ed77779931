package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.pushpin.grip.WebSocketEvent;
import org.pushpin.grip.WebSocketEventsException;
import org.pushpin.routing.Target;
import org.pushpin.timer.TimerWheel;

/**
 * A client WebSocket whose origin speaks WebSocket-over-HTTP ({@code over_http}, docs/websocket.md §3): client
 * messages become events POSTed to the origin, one request at a time (batched by {@link WsOverHttpOutbox}); each
 * answer's events become frames to the client; the first POST ({@code OPEN}) decides the handshake. On the client's
 * loop; idle, it holds no request, no buffer, and one {@link TimerWheel} entry (keep-alive or retry wait).
 */
final class WsOverHttp extends TimerWheel.Timer implements WsConnection, ClientWebSocket.Listener,
        WsOverHttpPost.Listener {
    private enum State { CONNECTING, CONNECTED, CLOSING, DONE }

    private final ProxyContext context;
    private final ClientRequest request;
    private final ClientWebSocket client;
    private final UUID connectionId; // also its id in the connection registry; its text only while POSTing
    private final WsOverHttpOutbox outbox = new WsOverHttpOutbox();
    private State state = State.CONNECTING;
    private int targetIndex;
    private Target target;
    /** The POST outstanding, or null; and its events, kept to send them again. */
    private WsOverHttpPost post;
    private List<WebSocketEvent> batch;
    private boolean batchCloses;
    /** The timer waits to send {@link #batch} again (else it is the keep-alive interval). */
    private boolean retryWaiting;
    private int failures; // of the POST outstanding, in a row
    private boolean refreshQueued;
    private int keepAliveInterval = WsOverHttpResponse.NO_KEEP_ALIVE; // seconds, or -1: none
    /** What {@code Set-Meta-*} set, sent back as {@code Meta-*}; null while empty. */
    private Map<String, String> httpMeta;
    private Map<String, String> meta;
    private WsGripExtension grip;
    private WsSession session;
    private boolean detached;
    private int closeCode = -1; // of the close we send the origin (-1: none)
    private String closeReason = "";
    private boolean closeSent;
    private boolean originClosed;
    private boolean clientClosed;
    private boolean clientGone;
    private boolean disconnecting;
    private boolean disconnectSent;

    WsOverHttp(ProxyContext context, ClientRequest request, ClientWebSocket client, UUID connectionId) {
        this.connectionId = connectionId;
        this.context = context;
        this.request = request;
        this.client = client;
    }

    void start() {
        target = request.route().targets().get(targetIndex);
        if (target.kind() != Target.Kind.ORIGIN) {
            reject502("Error: zhttp service for route is unreachable.");
            return;
        }
        send(List.of(WebSocketEvent.of(WebSocketEvent.Type.OPEN)), false);
    }

    private void send(List<WebSocketEvent> events, boolean closes) {
        batch = events;
        batchCloses = closes;
        String id = connectionId.toString();
        post = WsOverHttpPost.send(context, loop(), target,
                WsOverHttpRequest.build(request, context, target, id, httpMeta, events), this);
    }

    private boolean busy() {
        return post != null || retryWaiting;
    }

    /** Whether a POST is due now (Pushpin's needUpdate). */
    private boolean needUpdate() {
        if (state != State.CONNECTED && state != State.CLOSING) {
            return false;
        }
        if ((disconnecting && !disconnectSent) || refreshQueued) {
            return true;
        }
        if (!clientGone && !client.isWritable()) {
            return false; // the answer could not be passed on yet
        }
        return outbox.hasMessages() || (state == State.CLOSING && !closeSent);
    }

    /** Sends the next POST: what is due, or nothing at all (a keep-alive or refresh POST). */
    private void update() {
        if (busy() || state == State.DONE) {
            return;
        }
        refreshQueued = false;
        TimerWheel.of(loop()).cancel(this);
        if (disconnecting && !disconnectSent) {
            disconnectSent = true;
            send(List.of(WebSocketEvent.of(WebSocketEvent.Type.DISCONNECT)), false);
            return;
        }
        int maxEvents = target.oneEvent() ? 1 : 0;
        List<WebSocketEvent> events = outbox.take(maxEvents);
        boolean closes = false;
        if (state == State.CLOSING && !closeSent && (maxEvents == 0 || events.size() < maxEvents)) {
            outbox.clear(false); // a message still in fragments is dropped, as Pushpin does
            events = new ArrayList<>(events);
            events.add(closeCode < 0 ? WebSocketEvent.of(WebSocketEvent.Type.CLOSE)
                    : WebSocketEvent.close(closeCode, closeReason));
            closes = true;
        }
        if (!clientClosed && !clientGone && outbox.hasRoom()) {
            client.setReading(true);
        }
        send(events, closes);
    }

    private void updateOrWait() {
        if (busy() || state == State.DONE) {
            return;
        }
        if (needUpdate()) {
            update();
        } else if (keepAliveInterval > 0) {
            TimerWheel.of(loop()).schedule(this, keepAliveInterval * 1000L);
        }
    }

    @Override
    protected void onTimeout() {
        if (state == State.DONE) {
            return;
        }
        if (retryWaiting) {
            retryWaiting = false;
            send(batch, batchCloses);
        } else if (state == State.CONNECTING) {
            start();
        } else {
            update();
        }
    }

    @Override
    public void onFailed(String why, boolean retryable, boolean connectFailed) {
        post = null;
        if (state == State.DONE) {
            return;
        }
        if (state == State.CONNECTING) {
            if (connectFailed && targetIndex + 1 < request.route().targets().size()) {
                targetIndex++;
                start();
            } else if (connectFailed) {
                reject502("Unable to connect to any targets. Tried: "
                        + WsOverHttpResponse.tried(request.route().targets(), targetIndex));
            } else {
                reject502("Error: " + why);
            }
            return;
        }
        long delay = retryable ? WsOverHttpRetries.delay(failures) : -1;
        if (delay >= 0) {
            failures++;
            RequestLog.debug("over_http: " + why + "; trying again in " + delay + " ms", null);
            retryWaiting = true;
            TimerWheel.of(loop()).schedule(this, delay);
            return;
        }
        drop("over_http: " + why);
    }

    @Override
    public void onAnswer(WsOverHttpResponse response) {
        post = null;
        failures = 0;
        boolean sentClose = batchCloses;
        boolean answersDisconnect = disconnectSent && batch.get(0).known() == WebSocketEvent.Type.DISCONNECT;
        batch = null;
        if (state == State.DONE) {
            return;
        }
        boolean first = state == State.CONNECTING;
        if (!response.isEvents()) {
            if (first) {
                reject(response.rejection(client.alloc()), null);
            } else {
                drop("over_http: origin answered " + response.status() + " without events");
            }
            return;
        }
        int ka = response.keepAliveInterval();
        if (ka != WsOverHttpResponse.UNCHANGED) {
            keepAliveInterval = ka;
        }
        if (response.setsMeta()) {
            httpMeta = response.applyMeta(httpMeta);
            meta = response.applyMeta(meta);
        }
        List<WebSocketEvent> events;
        try {
            events = response.events();
        } catch (WebSocketEventsException e) {
            RequestLog.warn("over_http: " + request.info().url() + ": " + e.getMessage() + "; connection dropped");
            if (first) {
                reject502("Error: " + e.getMessage());
            } else {
                drop("over_http: client dropped");
            }
            return;
        }
        if (first && !opened(response, events)) {
            return;
        }
        if (answersDisconnect) {
            finish(); // its answer is not read
            return;
        }
        boolean wasDetached = detached; // events after a detach in this answer go out, as 1.36's (async) detach
        WebSocketEvent end = WsOverHttpToClient.deliverAll(events, first ? 1 : 0, client,
                () -> !wasDetached && !clientGone && !clientClosed, grip, session);
        boolean originClosed = end != null && end.known() == WebSocketEvent.Type.CLOSE;
        boolean disconnected = end != null && !originClosed;
        if (sentClose) {
            closeSent = true;
        }
        if (originClosed) {
            this.originClosed = true;
            if (!detached && !clientGone) {
                client.close(end.closeCode(), end.closeReason());
            }
            // unless it answers ours, the client's answer to this close is sent on to the origin (onClose)
        } else if (closeSent && keepAliveInterval <= 0) {
            // without keep-alives the origin has one chance to answer a close: it is taken as a drop
            disconnected = true;
        }
        if (disconnected) {
            drop("over_http: client dropped");
        } else if (closeSent && (this.originClosed || clientGone)) {
            finish(); // both sides closed; or nobody is left to hear the origin's close
        } else {
            updateOrWait();
        }
        if (first && !client.isActive()) {
            onGone(); // it went away while the origin was opening
        }
    }

    /**
     * The first answer: OPEN completes the client's handshake; no events but a keep-alive interval means "ask
     * again later"; anything else refuses it. Returns whether the connection is open.
     */
    private boolean opened(WsOverHttpResponse response, List<WebSocketEvent> events) {
        if (events.isEmpty() && keepAliveInterval > 0) {
            // not yet: as Pushpin, OPEN again after the interval while the client waits for its answer
            TimerWheel.of(loop()).schedule(this, keepAliveInterval * 1000L);
            return false;
        }
        if (events.isEmpty() || !WebSocketEvent.Type.OPEN.name().equals(events.get(0).type())) {
            RequestLog.warn("over_http: " + request.info().url() + ": the first answer does not open the connection");
            reject502("Error: origin did not open the connection");
            return false;
        }
        WsGripExtension ext = response.gripExtension();
        grip = request.passthrough() ? null : ext;
        state = State.CONNECTED;
        request.log(context.config().proxy(), target, 101, 0, null);
        client.accept(response.upgradeHeaders(request.passthrough(), request.head().headers()), this);
        if (!clientGone && (ext != null || !target.subscriptions().isEmpty())) { // accept may find it gone
            session = context.wsSessions().open(this);
        }
        return true;
    }

    @Override
    public void onFrame(WebSocketFrame frame) {
        if (state != State.CONNECTED || detached) {
            frame.release();
            return;
        }
        switch (outbox.add(frame)) {
            case OVERFLOW -> {
                RequestLog.warn("over_http: " + request.info().url() + ": client message over "
                        + WsOverHttpOutbox.BUFFER_SIZE + " bytes; connection closed");
                client.close(1009, "Message too big");
                drop("over_http: client dropped");
                return;
            }
            case PROTOCOL_ERROR -> {
                client.close(1002, "Protocol error");
                drop("over_http: client dropped");
                return;
            }
            case OK -> { }
        }
        if (!outbox.hasRoom()) {
            client.setReading(false);
        }
        if (!busy() && needUpdate()) {
            update();
        }
    }

    @Override
    public void onClose(int code, String reason) {
        clientClosed = true;
        if (detached || state == State.DONE) {
            client.close(code, reason);
            return;
        }
        if (state == State.CONNECTED) {
            state = State.CLOSING;
            closeCode = code;
            closeReason = reason == null ? "" : reason;
            if (!busy()) {
                update();
            }
        }
    }

    @Override
    public void onGone() {
        if (clientGone) {
            return;
        }
        clientGone = true;
        endSession();
        if (state == State.DONE) {
            return;
        }
        if (detached || state == State.CONNECTING) {
            finish();
            return;
        }
        if (state == State.CONNECTED && !clientClosed) {
            // vanished without a close handshake: the origin hears of it once
            disconnecting = true;
            if (!busy()) {
                update();
            } else if (retryWaiting) { // no point waiting for the retry of a message: DISCONNECT says it all
                retryWaiting = false;
                TimerWheel.of(loop()).cancel(this);
                update();
            }
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable && !busy() && needUpdate()) {
            update();
        }
    }

    /** Refuses the client's handshake with {@code r} (the origin's refusal, or Pushpin's 502). */
    private void reject(FullHttpResponse r, String logSuffix) {
        request.log(context.config().proxy(), target, r.status().code(), r.content().readableBytes(), logSuffix);
        state = State.DONE;
        client.reject(r);
        finish();
    }

    private void reject502(String debugMessage) {
        boolean debug = context.config().proxy().debug() || request.route().debug();
        reject(ErrorResponses.proxyError(client.alloc(), HttpVersion.HTTP_1_1, debug, debugMessage),
                "error");
    }

    /** The origin side failed after the handshake: the client is dropped (a detached client stays). */
    private void drop(String debugMessage) {
        RequestLog.debug(debugMessage, null);
        if (!detached && !clientGone) {
            client.abort();
        }
        finish();
    }

    private void finish() {
        if (post != null) {
            post.cancel();
            post = null;
        }
        batch = null;
        retryWaiting = false;
        if (isScheduled()) {
            TimerWheel.of(loop()).cancel(this);
        }
        outbox.clear(true);
        if (detached && !clientGone) {
            state = State.CLOSING; // the origin side is over; the client stays for its session
            closeSent = true;
            return;
        }
        state = State.DONE;
        endSession();
    }

    private void endSession() {
        WsSession s = session;
        session = null;
        if (s != null) {
            s.closed();
        }
    }

    @Override
    public EventLoop loop() {
        return client.loop();
    }

    @Override
    public void sendToClient(WebSocketFrame frame) {
        if (clientGone || clientClosed || state == State.CONNECTING) {
            frame.release();
            return;
        }
        client.write(frame);
    }

    @Override
    public boolean clientActive() {
        return !clientGone && client.isActive();
    }

    @Override
    public void sendSharedToClient(ByteBuf encodedFrame) {
        if (clientGone || clientClosed || state == State.CONNECTING) {
            return;
        }
        client.writeEncoded(encodedFrame.retainedDuplicate());
    }

    @Override
    public void close(int code, String reason) {
        if (!detached) {
            closeOrigin();
        }
        if (!clientGone && !clientClosed) {
            client.close(code, reason);
        }
    }

    @Override
    public void detach() {
        if (!detached) {
            detached = true;
            outbox.clear(true);
            closeOrigin();
        }
    }

    /** Sends the origin a CLOSE without a code, as Pushpin does for a publish's close and for detach. */
    private void closeOrigin() {
        if (state == State.CONNECTED) {
            state = State.CLOSING;
            closeCode = -1;
            if (!busy()) {
                update();
            }
        }
    }

    @Override
    public void refresh() {
        if (state == State.CONNECTED && !disconnecting) {
            if (busy()) {
                refreshQueued = true;
            } else {
                update();
            }
        }
    }

    @Override
    public Map<String, String> meta() {
        return meta == null ? meta = new LinkedHashMap<>() : meta;
    }

    @Override
    public org.pushpin.routing.Route route() {
        return request.route();
    }

    @Override
    public List<String> implicitChannels() {
        return target.subscriptions();
    }
}
