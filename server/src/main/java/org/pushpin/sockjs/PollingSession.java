package org.pushpin.sockjs;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.proxy.ClientWebSocket;
import org.pushpin.proxy.SockJsExchange;
import org.pushpin.timer.TimerWheel;

/**
 * One SockJS session over HTTP polling ({@code xhr} / {@code xhr_send}, {@code jsonp} / {@code jsonp_send}), as
 * Pushpin 1.36 runs it: to the origin it is one WebSocket client. The first poll is answered {@code o} once the
 * origin accepted; later polls are held until there is something to say ({@code a[...]} with every message
 * queued, or {@code c[...]}), or answered {@code h} after {@link #HEARTBEAT_MILLIS}. A session without a poll for
 * {@link #UNCONNECTED_MILLIS} is dropped (the origin's connection with it); a client that leaves a held poll has
 * closed the session. A closed session lingers {@link #LINGER_MILLIS} to tell late polls its close frame.
 *
 * <p>It lives on the loop where its first poll came in: {@link SockJsEndpoint} hands it later requests there.
 * Idle, it holds its fields, the queued messages (none, when the client keeps polling) and one timer-wheel entry,
 * which is this object itself.
 */
final class PollingSession extends TimerWheel.Timer implements ClientWebSocket {
    static final long HEARTBEAT_MILLIS = 25_000;
    static final long UNCONNECTED_MILLIS = 5_000;
    static final long LINGER_MILLIS = 5_000;
    /** Bytes of messages queued for the client above which the origin is no longer read. */
    static final int BUFFER = SockJsFrames.MAX_MESSAGE;

    private enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final SockJsSessions registry;
    private final String id;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final Promise<Void> closed;
    private final MessageJoiner toClient = new MessageJoiner();
    private State state = State.CONNECTING;
    private Listener listener;
    /** The held poll (the first request while connecting), or null. */
    private SockJsExchange poll;
    /** The JSON-P callback of a held poll, or the htmlfile callback of a held stream, or null. */
    private String pollCallback;
    /** How the held request carries frames when it is a streaming one, else null (a poll). */
    private StreamFraming framing;
    private boolean streamStarted;
    private int streamed;
    private List<String> queued;
    private int queuedBytes;
    private boolean peerClosed;
    private boolean connectGone;
    /** {@code c[...]} once the session closes. */
    private String closeFrame;

    PollingSession(SockJsSessions registry, String id, EventLoop loop, ByteBufAllocator alloc) {
        this.registry = registry;
        this.id = id;
        this.loop = loop;
        this.alloc = alloc;
        this.closed = new DefaultPromise<>(loop);
    }

    String id() {
        return id;
    }

    /** The first poll: proxies the session to the origin (on {@link #loop}). */
    void start(SockJsExchange first, StreamFraming framing, String callback, String originUri) {
        hold(first, framing, callback, false); // a stream starts once the origin accepted: it may refuse
        first.bridge(this, originUri);
    }

    /** {@code ex} is the request that receives: a poll, or a stream (started at once). */
    private void hold(SockJsExchange ex, StreamFraming f, String callback, boolean startStream) {
        poll = ex;
        pollCallback = callback;
        framing = f;
        streamStarted = false;
        streamed = 0;
        ex.onGone(() -> onLoop(() -> onPollGone(ex)));
        if (f != null) {
            ex.onWritable(() -> onLoop(() -> {
                if (poll == ex) {
                    flush();
                }
            }));
            if (startStream) {
                startStream();
            }
        }
    }

    private void startStream() {
        SockJsExchange ex = poll;
        ex.startStream(SockJsAnswers.streamHead(ex.headers(), framing), framing.prelude(pollCallback));
        streamStarted = true;
    }

    /**
     * Sends {@code frame} on the receiving request: a poll is answered with it; a stream goes on, unless
     * {@code last} or it carried {@link StreamFraming#RESPONSE_LIMIT}. Then {@link #poll} is null when it ended.
     */
    private void emit(String frame, boolean last) {
        SockJsExchange p = poll;
        if (framing == null) {
            poll = null;
            p.respond(SockJsAnswers.frame(p.alloc(), p.headers(), frame, pollCallback));
            return;
        }
        String chunk = framing.frame(frame);
        p.writeChunk(chunk);
        streamed += chunk.length();
        if (last || streamed >= StreamFraming.RESPONSE_LIMIT) {
            poll = null;
            p.endStream();
        }
    }

    /** After a frame went out: wait for the next receiving request, or beat on the stream that goes on. */
    private void afterEmit() {
        timer(poll == null ? UNCONNECTED_MILLIS : HEARTBEAT_MILLIS);
    }

    /** {@code c[...]} when this session has closed (it lingers), else null; any thread. */
    String closeFrame() {
        return state == State.CLOSED ? closeFrame : null;
    }

    /** A later request of this session ({@code xhr}, {@code xhr_send}, ...); on {@link #loop}. */
    void handle(SockJsExchange ex, String kind, String callback) {
        HttpHeaders h = ex.headers();
        StreamFraming f = StreamFraming.of(kind);
        if (state == State.CLOSED) {
            ex.respond(SockJsAnswers.once(ex.alloc(), h, f, closeFrame, callback));
        } else if (kind.equals("xhr") || kind.equals("jsonp") || f != null) {
            if (poll != null) {
                ex.respond(SockJsAnswers.once(ex.alloc(), h, f,
                        SockJsFrames.close(2010, "Another connection still open"), callback));
            } else if (peerClosed) {
                ex.respond(SockJsAnswers.once(ex.alloc(), h, f,
                        SockJsFrames.close(3000, "Client already closed connection"), callback));
            } else {
                hold(ex, f, callback, true);
                timer(HEARTBEAT_MILLIS);
                flush();
            }
        } else if (kind.equals("xhr_send") || kind.equals("jsonp_send")) {
            send(ex, SockJsPayload.of(ex, kind), callback);
        } else {
            ex.respond(SockJsAnswers.error(ex.alloc(), h, 404, "Not Found", "Not Found"));
        }
    }

    private void send(SockJsExchange ex, byte[] payload, String callback) {
        List<String> messages;
        try {
            messages = SockJsFrames.parse(payload);
        } catch (SockJsFrames.Malformed e) {
            ex.respond(SockJsAnswers.error(ex.alloc(), ex.headers(), 400, "Bad Request", e.getMessage()));
            return;
        }
        if (state != State.OPEN || peerClosed) {
            ex.respond(SockJsAnswers.error(ex.alloc(), ex.headers(), 404, "Not Found", "Not Found"));
            return;
        }
        ex.respond(SockJsAnswers.sent(ex.alloc(), ex.headers(), callback));
        for (String m : messages) {
            if (state != State.OPEN) {
                return;
            }
            listener.onFrame(new TextWebSocketFrame(m));
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private void onPollGone(SockJsExchange ex) {
        if (poll != ex) {
            return;
        }
        poll = null;
        if (state == State.CONNECTING) {
            connectGone = true; // the origin is dropped once it answers
        } else if (state == State.OPEN && !peerClosed) {
            // a client that leaves a held poll has closed the session (as Pushpin reads it)
            peerClosed = true;
            timer(UNCONNECTED_MILLIS);
            listener.onClose(-1, "");
        } else if (state == State.CLOSING) {
            end(true);
        }
    }

    /** Answers the held poll when there is something to say. */
    private void flush() {
        SockJsExchange p = poll;
        if (p == null) {
            return;
        }
        if (queued != null) {
            if (framing != null && !p.isWritable()) {
                return; // the stream's client is behind: messages wait (and the origin with them, past BUFFER)
            }
            List<String> q = queued;
            queued = null;
            queuedBytes = 0;
            emit(SockJsFrames.messages(q), false);
            if (poll == null) {
                timer(UNCONNECTED_MILLIS);
            }
            if (listener != null && state == State.OPEN) {
                listener.onWritabilityChanged(true);
            }
        }
        if (poll != null && state == State.CLOSING) {
            emit(closeFrame, true);
            end(true);
        }
    }

    private void timer(long millis) {
        TimerWheel wheel = TimerWheel.of(loop);
        if (isScheduled()) {
            wheel.cancel(this);
        }
        wheel.schedule(this, millis);
    }

    @Override
    protected void onTimeout() {
        if (state == State.CLOSED) {
            registry.remove(this); // the linger is over
        } else if (poll != null && state == State.OPEN) {
            emit(SockJsFrames.HEARTBEAT, false);
            afterEmit();
        } else if (poll == null) {
            end(state == State.CLOSING); // nobody polled in time: the session is over
        }
    }

    /** The session is over: the origin learns it, and a closed one lingers for late polls. */
    private void end(boolean linger) {
        if (state == State.CLOSED) {
            return;
        }
        if (closeFrame == null) {
            closeFrame = SockJsFrames.close(3000, "Go away!");
        }
        state = State.CLOSED;
        SockJsExchange p = poll;
        poll = null;
        if (p != null && streamStarted && framing != null) {
            p.endStream();
        } else if (p != null) {
            p.respond(SockJsAnswers.error(p.alloc(), p.headers(), 410, "Gone", "Session terminated"));
        }
        queued = null;
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.onGone();
        }
        closed.trySuccess(null);
        if (linger) {
            timer(LINGER_MILLIS);
        } else {
            if (isScheduled()) {
                TimerWheel.of(loop).cancel(this);
            }
            registry.remove(this);
        }
    }

    // ---- ClientWebSocket: what the origin side does to the client ---------------------------------------------

    @Override
    public void accept(HttpHeaders headers, Listener listener) {
        this.listener = listener;
        SockJsExchange p = poll;
        if (connectGone || p == null) {
            end(false);
            return;
        }
        state = State.OPEN;
        if (framing != null) {
            startStream();
        }
        emit(SockJsFrames.OPEN, false);
        afterEmit();
    }

    @Override
    public void reject(FullHttpResponse response) {
        SockJsExchange p = poll;
        poll = null;
        if (p != null && !streamStarted) {
            p.respond(SockJsAnswers.relayed(response, p.headers())); // a stream waits for the accept: not started
        } else {
            response.release();
        }
        end(false);
    }

    @Override
    public void write(WebSocketFrame frame) {
        toClient.frame(frame, this::queue);
    }

    @Override
    public void writeEncoded(ByteBuf encodedFrames) {
        try {
            toClient.encoded(encodedFrames, this::queue);
        } finally {
            encodedFrames.release();
        }
    }

    private void queue(String message) {
        if (state != State.OPEN) {
            return;
        }
        if (queued == null) {
            queued = new ArrayList<>(4);
        }
        queued.add(message);
        queuedBytes += message.length();
        flush();
    }

    @Override
    public void close(int code, String reason) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        // as Pushpin words the close value: no code is 0, no reason is "Connection closed"
        closeFrame = SockJsFrames.close(code < 0 ? 0 : code,
                code >= 0 && reason != null && !reason.isEmpty() ? reason : "Connection closed");
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSING;
        if (wasOpen && !peerClosed && listener != null) {
            listener.onClose(code, reason == null ? "" : reason); // SockJS has no close answer: give the origin one
        }
        if (peerClosed || poll == null && !wasOpen) {
            end(true);
        } else {
            flush();
        }
    }

    @Override
    public void abort() {
        end(false);
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public boolean isActive() {
        return state != State.CLOSED;
    }

    @Override
    public Future<Void> closeFuture() {
        return closed;
    }

    @Override
    public boolean isWritable() {
        return queuedBytes < BUFFER;
    }

    @Override
    public void setReading(boolean reading) {
        // a polling client's sends are taken as they come (each is answered "ok" once handed on)
    }
}
