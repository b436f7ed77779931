package org.pushpin.sockjs;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.pushpin.proxy.ClientWebSocket;
import org.pushpin.timer.TimerWheel;

/**
 * The SockJS {@code websocket} transport ({@code <base>/<server>/<session>/websocket}): the client's real WebSocket
 * carries SockJS frames, and the origin sees a WebSocket client that sends and gets plain messages. Toward the
 * client: {@code o} once the origin accepted, each message as {@code a["..."]}, {@code h} every
 * {@link #HEARTBEAT_MILLIS}; from the client: each text frame is a JSON array of strings, each string one message to
 * the origin. A close passes as a WebSocket close, as Pushpin passes it.
 *
 * <p>A client frame that is not such an array (or carries a message over {@link SockJsFrames#MAX_MESSAGE} bytes)
 * closes this client with {@code 1002 Broken framing.}; the origin then hears the client's close.
 *
 * <p>Idle, this is the wrapped WebSocket, two references and its heartbeat: this object is its own entry in the
 * loop's timer wheel.
 */
final class FramedWebSocket extends TimerWheel.Timer implements ClientWebSocket {
    static final long HEARTBEAT_MILLIS = 25_000;
    static final int BROKEN_FRAMING = 1002;

    private final ClientWebSocket client;
    private final MessageJoiner toClient = new MessageJoiner();
    private Listener listener;
    private boolean open;

    FramedWebSocket(ClientWebSocket client) {
        this.client = client;
    }

    @Override
    public void accept(HttpHeaders headers, Listener listener) {
        this.listener = listener;
        client.accept(headers, new FromClient());
        if (client.isActive()) {
            open = true;
            client.write(new TextWebSocketFrame(SockJsFrames.OPEN));
            TimerWheel.of(client.loop()).schedule(this, HEARTBEAT_MILLIS);
        }
    }

    @Override
    protected void onTimeout() {
        if (open && client.isActive()) {
            client.write(new TextWebSocketFrame(SockJsFrames.HEARTBEAT));
            TimerWheel.of(client.loop()).schedule(this, HEARTBEAT_MILLIS);
        }
    }

    private void stop() {
        open = false;
        if (isScheduled()) {
            TimerWheel.of(client.loop()).cancel(this);
        }
    }

    @Override
    public void reject(FullHttpResponse response) {
        client.reject(response);
    }

    @Override
    public void write(WebSocketFrame frame) {
        toClient.frame(frame, this::send);
    }

    @Override
    public void writeEncoded(ByteBuf encodedFrames) {
        try {
            toClient.encoded(encodedFrames, this::send);
        } finally {
            encodedFrames.release();
        }
    }

    private void send(String message) {
        client.write(new TextWebSocketFrame(SockJsFrames.messages(List.of(message))));
    }

    @Override
    public void close(int code, String reason) {
        stop();
        client.close(code, reason);
    }

    @Override
    public void abort() {
        stop();
        client.abort();
    }

    @Override
    public EventLoop loop() {
        return client.loop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return client.alloc();
    }

    @Override
    public boolean isActive() {
        return client.isActive();
    }

    @Override
    public Future<Void> closeFuture() {
        return client.closeFuture();
    }

    @Override
    public boolean isWritable() {
        return client.isWritable();
    }

    @Override
    public void setReading(boolean reading) {
        client.setReading(reading);
    }

    /** The client's frames: SockJS payloads, unpacked into messages for the origin. */
    private final class FromClient implements Listener {
        private ByteArrayOutputStream partial;
        private boolean broken;

        @Override
        public void onFrame(WebSocketFrame frame) {
            try {
                if (broken || frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
                    return; // the SockJS protocol has no pings; the WebSocket layer's are not the origin's business
                }
                boolean continuation = frame instanceof ContinuationWebSocketFrame;
                if (!continuation) {
                    partial = null;
                }
                if (continuation && partial == null && !frame.isFinalFragment()) {
                    return;
                }
                byte[] data = ByteBufUtil.getBytes(frame.content());
                if (!frame.isFinalFragment() || partial != null) {
                    if (partial == null) {
                        partial = new ByteArrayOutputStream();
                    }
                    partial.writeBytes(data);
                    if (partial.size() > 2 * SockJsFrames.MAX_MESSAGE) {
                        broken();
                        return;
                    }
                    if (!frame.isFinalFragment()) {
                        return;
                    }
                    data = partial.toByteArray();
                    partial = null;
                }
                deliver(data);
            } finally {
                frame.release();
            }
        }

        private void deliver(byte[] payload) {
            List<String> messages;
            try {
                messages = SockJsFrames.parse(payload);
            } catch (SockJsFrames.Malformed e) {
                broken();
                return;
            }
            for (String m : messages) {
                if (broken || listener == null) {
                    return;
                }
                listener.onFrame(new TextWebSocketFrame(m));
            }
        }

        private void broken() {
            broken = true;
            partial = null;
            stop();
            client.close(BROKEN_FRAMING, "Broken framing.");
        }

        @Override
        public void onClose(int code, String reason) {
            stop();
            listener.onClose(code, reason);
        }

        @Override
        public void onGone() {
            stop();
            listener.onGone();
        }

        @Override
        public void onWritabilityChanged(boolean writable) {
            listener.onWritabilityChanged(writable);
        }
    }
}
