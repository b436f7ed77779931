package org.pushpin.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/** One client connection that {@link ConnectionHolder} opens and holds: an HTTP hold or a WebSocket. */
interface Connection {
    /** Its number: it asks for {@code /<mode>/index} and so is in {@code room-(index % rooms)}. */
    int index();

    /** What the bootstrap installs on the channel. */
    ChannelHandler handler();

    void bind(Channel channel);

    Channel channel();

    /** Held now: a publish to its room must reach it. */
    boolean isHeld();

    /** Will never be held (a bad answer, its timer, a failed connect); closes it. On the channel's loop. */
    void fail(String why);

    /** Closes the connection on purpose (the end of a run). */
    ChannelFuture close();
}
