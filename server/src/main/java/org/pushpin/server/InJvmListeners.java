package org.pushpin.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Listeners on Netty's in-JVM transport ({@link LocalServerChannel}): a program in the same JVM connects a
 * {@code LocalChannel} and goes through the very same client pipeline as a socket client. Such connections use no
 * file descriptor, which is how one JVM holds a million (docs/scaling.md).
 *
 * <p>A local channel registers only on a loop driven by {@link LocalIoHandler}, not on an epoll or NIO loop, so
 * these connections get a group of their own, one loop per core, created by the first listener. Requests arriving
 * on such a loop reach their origin over the in-JVM transport too (see {@code OriginConnector}).
 */
final class InJvmListeners implements AutoCloseable {
    private final int threads;
    private final List<Channel> listeners = new ArrayList<>();
    /** Per loop, the latest listener whose connections are served on that very loop. */
    private final Map<EventLoop, LocalAddress> onLoop = new HashMap<>();
    private EventLoopGroup group;

    InJvmListeners(int threads) {
        this.threads = threads;
    }

    /**
     * Binds {@code name} (unique in the JVM) to {@code init}'s pipeline, counted by {@code limiter}; its connections
     * are spread over the loops. Also binds {@code name@k} per loop k, whose connections stay on loop k (see
     * {@link #addressOn}).
     */
    synchronized LocalAddress bind(String name, ClientPipelineInitializer init, ConnectionLimiter limiter)
            throws InterruptedException {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("pushpin-local", true),
                    LocalIoHandler.newFactory());
        }
        LocalAddress address = bind(group, new LocalAddress(name), init, limiter);
        int k = 0;
        for (EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            onLoop.put(loop, bind(loop, new LocalAddress(name + "@" + k++), init, limiter));
        }
        return address;
    }

    /** Accepts on {@code children}: the whole group (balanced), or one loop. */
    private LocalAddress bind(EventLoopGroup children, LocalAddress address, ClientPipelineInitializer init,
                              ConnectionLimiter limiter) throws InterruptedException {
        Channel ch = new ServerBootstrap()
                .group(group, children)
                .channel(LocalServerChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(init)
                .bind(address).sync().channel();
        listeners.add(ch);
        limiter.addListener(ch);
        return (LocalAddress) ch.localAddress();
    }

    /** The address whose connections are served on {@code loop} (one of {@link #group()}'s), or null. */
    synchronized LocalAddress addressOn(EventLoop loop) {
        return onLoop.get(loop);
    }

    /** The loops of in-JVM connections, or null before the first listener. */
    synchronized EventLoopGroup group() {
        return group;
    }

    /** Closes the listeners, then every in-JVM connection with its loops; waits until done. */
    @Override
    public synchronized void close() {
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
        }
        listeners.clear();
        onLoop.clear();
        if (group != null) {
            // a quiet period: closing a local channel closes its peer, whose close comes back to this group from
            // the peer's loop; without it that task would be refused (and logged) by a loop already terminated
            group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            group = null;
        }
    }
}
