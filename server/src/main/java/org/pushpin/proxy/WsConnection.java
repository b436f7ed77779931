package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Map;

/**
 * A proxied WebSocket as its GRIP session ({@link WsSession}) drives it: the client half and the origin half,
 * whether the origin is a WebSocket (passthrough) or HTTP posts ({@code over_http}). Every method is called on
 * {@link #loop()}.
 */
public interface WsConnection {
    EventLoop loop();

    /** A message of the session's own (keep-alive, send-delayed) to the client; ownership passes. */
    void sendToClient(WebSocketFrame frame);

    /**
     * A published message: one whole, already encoded server frame, shared with every other receiver. Write a
     * duplicate; never change or release it.
     */
    void sendSharedToClient(ByteBuf encodedFrame);

    /** A publish closed the connection: a close frame to the client ({@code code} -1: none), the origin closed too. */
    void close(int code, String reason);

    /** {@code detach}: the origin side is closed, the client stays; its later messages are discarded. */
    void detach();

    /** {@code refresh}: an over-HTTP connection posts a request to its origin now; nothing for passthrough. */
    void refresh();

    /** The connection's meta ({@code set-meta}; {@code Set-Meta-*} over HTTP), which filters read. Mutable. */
    Map<String, String> meta();

    /** The route's channel {@code prefix} (empty when none), prepended to every channel the origin names. */
    String channelPrefix();

    /** The target's {@code sub=} channels (implicit subscriptions, prefix not yet applied). */
    List<String> implicitChannels();
}
