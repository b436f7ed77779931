package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The client side of a started stream hold: what a hold needs to append to the response, end it, or cut the
 * connection off. Every method must be called on {@link #channel()}'s event loop.
 */
public interface StreamOutput {
    /** The client connection (its event loop is the caller's). */
    Channel channel();

    /** Whether debug error bodies are on (global {@code debug} or the route's). */
    boolean debug();

    /** Appends body bytes to the started stream (framed here); takes ownership of {@code data}. */
    void write(ByteBuf data);

    /**
     * Appends content shared with other streams, given both unframed and framed as one HTTP/1.1 chunk (see
     * {@code SharedContent}): the stream writes a duplicate of the one its framing needs, never a copy, and
     * releases neither.
     */
    void writeShared(ByteBuf content, ByteBuf chunk);

    /** Ends a started stream; the connection goes on with its next request (or closes for HTTP/1.0). */
    void endStream();

    /** Cuts the client connection off (a slow client over its limit, an error after the head went out). */
    void abort();

    /** {@code listener} runs (on the loop) if the client connection closes before the stream ended. */
    void onClientClose(Runnable listener);

    /** Whether the response has ended (responded, stream ended, aborted, or the client went away). */
    boolean isDone();
}
