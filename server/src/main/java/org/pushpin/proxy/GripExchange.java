package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import org.pushpin.grip.ClientResponse;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * A client request whose origin answered with a GRIP instruction, handed to a {@link GripHandoff}. The origin
 * connection is already back in its pool; the client connection waits for exactly one of {@link #respond} or
 * {@link #fail}.
 */
public interface GripExchange {
    /** The parsed instruction; its response is what the client gets when nothing is held. */
    Instruct instruct();

    /** The client's request head, as received. */
    HttpRequest request();

    /** The first bytes of the request body (at most 100,000), for retries; read-only view, do not release. */
    ByteBuf requestBody();

    Route route();

    Target target();

    /** The client connection (its event loop is the caller's). */
    Channel channel();

    /** Whether debug error bodies are on (global {@code debug} or the route's). */
    boolean debug();

    /** Sends {@code response} (framing and Connection headers are set here) and ends the exchange. */
    void respond(FullHttpResponse response);

    /** Ends the exchange with Pushpin's 502, {@code debugMessage} as the body in debug mode. */
    void fail(String debugMessage);
}
