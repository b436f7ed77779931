package org.pushpin.proxy;

import io.netty.channel.ChannelPipeline;

/**
 * The HTTP codec part of a client pipeline (request decoder, 100-continue, flow control, response encoder), which a
 * stream hold takes out while it owns the connection (their state is much of an idle connection's cost, and the
 * hold frames its own bytes) and puts back when the stream ends, so the connection can carry its next request.
 * Implemented where the pipeline is assembled.
 */
public interface RequestHandlers {
    void remove(ChannelPipeline pipeline);

    /** Takes all of them out for good: the connection now carries WebSocket frames (a WebSocket upgrade). */
    void removeForUpgrade(ChannelPipeline pipeline);

    /** Puts the handlers back ahead of the connection's handler, as they were. */
    void restore(ChannelPipeline pipeline);
}
