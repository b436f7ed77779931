package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;

/**
 * The client's half of a proxied WebSocket: the upgrade request, and once the origin side accepts it, Netty's
 * server handshaker and frame codecs on the client connection. Driven by the origin side, a WebSocket origin
 * (passthrough) or HTTP posts ({@code over_http}). Every method is called on the client's event loop.
 */
public interface ClientWebSocket {
    /** The loop the client is served on: every method is called there. */
    EventLoop loop();

    ByteBufAllocator alloc();

    /** Whether the client is still there (a SockJS session over HTTP: until it ended). */
    boolean isActive();

    /** Completes when the client is gone for good. */
    Future<Void> closeFuture();

    /**
     * Completes the client's handshake: {@code 101} with {@code headers} (the origin's, filtered by the caller;
     * the upgrade headers and the accept key are set here). From then on client frames reach {@code listener}.
     */
    void accept(HttpHeaders headers, Listener listener);

    /** Refuses the handshake with {@code response}; the connection then takes its next request or closes. */
    void reject(FullHttpResponse response);

    /** Writes and flushes one frame to the client (ownership passes). */
    void write(WebSocketFrame frame);

    /**
     * Writes and flushes bytes that are already one or more whole encoded server frames (a published message
     * encoded once for all receivers); ownership passes, so hand over a retained duplicate of a shared buffer.
     * Nothing is written once a close frame was sent.
     */
    void writeEncoded(ByteBuf encodedFrames);

    /** Sends a close frame ({@code code} -1: none) and closes once the client answers, or after a timeout. */
    void close(int code, String reason);

    /** Drops the connection without a close handshake. */
    void abort();

    /** False while the client's outbound buffer is over its high-water mark: stop reading the origin. */
    boolean isWritable();

    /** Reads client frames while true (backpressure toward the client when the origin side is full). */
    void setReading(boolean reading);

    /** What the origin side hears from the client, on the client's loop. */
    interface Listener {
        /** A text, binary, continuation, ping or pong frame; ownership passes. */
        void onFrame(WebSocketFrame frame);

        /** The client sent a close frame ({@code code} -1 when it carried none). */
        void onClose(int code, String reason);

        /** The connection went away without a close handshake (or after one: then after {@link #onClose}). */
        void onGone();

        void onWritabilityChanged(boolean writable);
    }
}
