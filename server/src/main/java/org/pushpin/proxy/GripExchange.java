package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import org.pushpin.grip.ClientResponse;
import java.util.List;
import java.util.Map;
import org.pushpin.grip.Instruct;
import org.pushpin.routing.Route;
import org.pushpin.routing.Target;

/**
 * A client request whose origin answered with a GRIP instruction, handed to a {@link GripHandoff}. The origin
 * connection is already back in its pool. The client connection then gets exactly one of: {@link #respond},
 * {@link #fail}, {@link #hold} followed later by {@link #respond}, or {@link #startStream} followed by
 * {@link #write}s and {@link #endStream} (or {@link #abort}). Every method must be called on {@link #channel()}'s
 * event loop.
 */
public interface GripExchange extends StreamOutput {
    /** The parsed instruction; its response is what the client gets when nothing is held. */
    Instruct instruct();

    /** The client's request head, as received. */
    HttpRequest request();

    /** The first bytes of the request body (at most 100,000), for retries; read-only view, do not release. */
    ByteBuf requestBody();

    Route route();

    Target target();

    /** How requests the holds make to the origin on their own ({@code Grip-Link rel=gone}) are signed. */
    default java.util.function.Function<Route, String> signer() {
        return route -> null;
    }

    /** Sends {@code response} (framing and Connection headers are set here) and ends the exchange. */
    void respond(FullHttpResponse response);

    /** Ends the exchange with Pushpin's 502, {@code debugMessage} as the body in debug mode. */
    void fail(String debugMessage);

    /** Keeps the client waiting with nothing sent (a response hold); {@link #respond} ends it later. */
    void hold();

    /**
     * Sends {@code head} at once and keeps the response open (a stream hold): chunked to HTTP/1.1 clients,
     * close-delimited to HTTP/1.0 ones. Content-Length and hop-by-hop headers are removed here.
     */
    void startStream(HttpResponse head);

    /** For a started stream: chunked (HTTP/1.1) rather than close-delimited (HTTP/1.0). */
    boolean chunkedStream();

    /**
     * Promises that the request and the instruction will not be needed again (a stream hold without next link):
     * returns the client connection, which carries the stream from now on (its holder frames the bytes), and lets
     * go of everything else (the request, the instruction, this exchange, the request decoding handlers and the
     * response encoder: they come back when the stream ends). The close listener given to
     * {@link #onClientClose} goes with the connection. This object is spent afterwards.
     */
    HeldConnection compact();

    /**
     * Sends the original request to the origin again, with {@code extraHeaders} (e.g. {@code Grip-Last}) added;
     * the new answer goes through the hand-off anew, and this object is then spent. Only while nothing has been
     * sent to the client (a response hold).
     */
    void retry(List<Map.Entry<String, String>> extraHeaders);

    /** Whether the response head went out already (a stream, or the answer to a next link being handed over). */
    boolean streamStarted();

    /**
     * Fetches {@code link} (a GET through the same route, {@code extraHeaders} such as {@code Grip-Last} added)
     * for a started stream; the answer comes back through the hand-off with {@link #streamStarted()} true, and this
     * object is then spent.
     */
    void fetchLink(java.net.URI link, List<Map.Entry<String, String>> extraHeaders);
}
