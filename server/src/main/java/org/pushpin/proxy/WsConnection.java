package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Map;
import org.pushpin.routing.Route;

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

    /**
     * Whether the client's socket is still open: false once it closed, and right after a send that cut a client
     * which could not keep up (delivery feedback tells those apart by asking before and after the send).
     */
    default boolean clientActive() {
        return true;
    }

    /** A publish closed the connection: a close frame to the client ({@code code} -1: none), the origin closed too. */
    void close(int code, String reason);

    /** {@code detach}: the origin side is closed, the client stays; its later messages are discarded. */
    void detach();

    /** {@code refresh}: an over-HTTP connection posts a request to its origin now; nothing for passthrough. */
    void refresh();

    /** The connection's meta ({@code set-meta}; {@code Set-Meta-*} over HTTP), which filters read. Mutable. */
    Map<String, String> meta();

    /** The route this connection came through (its id, prefix and {@code log_level} for the session's messages). */
    Route route();

    /**
     * The route's explicit {@code id}, or {@code ""} when it has none: the {@code message_rate}/{@code message_hwm}
     * limits this connection's deliveries count under (Pushpin keeps them per route id).
     */
    default String statsRoute() {
        return route().id() == null ? "" : route().id();
    }

    /** The route's channel {@code prefix} (empty when none), prepended to every channel the origin names. */
    default String channelPrefix() {
        return route().prefix() == null ? "" : route().prefix();
    }

    /** The target's {@code sub=} channels (implicit subscriptions, prefix not yet applied). */
    List<String> implicitChannels();
}
