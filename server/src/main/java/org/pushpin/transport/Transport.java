package org.pushpin.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport: native epoll when the platform has it (fewer objects per connection, edge-triggered),
 * NIO otherwise; io_uring when asked for ({@code -Dpushpin.transport=io_uring}: the kernel queues the sends of a
 * loop round and runs them in one system call). Chosen once per process; every channel of the server uses the same
 * one so that a client socket and its origin sockets share one event loop.
 *
 * <p>io_uring holds no read buffer per idle connection either: without a registered buffer ring Netty arms a
 * poll first and allocates only once bytes are there.
 */
public enum Transport {
    EPOLL,
    IO_URING,
    NIO;

    /** The system property that picks a transport: {@code epoll} (default), {@code io_uring} or {@code nio}. */
    public static final String PROPERTY = "pushpin.transport";

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /**
     * What {@code -Dpushpin.transport} asks for, when the platform has it: io_uring falls back to epoll (then NIO)
     * with a warning that says why; epoll falls back to NIO. An unknown name is an error.
     */
    public static Transport best() {
        return choose(System.getProperty(PROPERTY), Epoll::isAvailable, IoUring::isAvailable);
    }

    /** {@link #best()} with the platform's answers given (tests). */
    static Transport choose(String asked, BooleanSupplier epoll, BooleanSupplier ioUring) {
        String name = asked == null ? "" : asked.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        Transport fallback = epoll.getAsBoolean() ? EPOLL : NIO;
        switch (name) {
            case "", "epoll":
                return fallback;
            case "nio":
                return NIO;
            case "io_uring", "iouring":
                if (ioUring.getAsBoolean()) {
                    return IO_URING;
                }
                LOG.warn("io_uring is not available here ({}); using {}", ioUringUnavailability(),
                        fallback.name().toLowerCase(Locale.ROOT));
                return fallback;
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + asked
                        + ": unknown transport (epoll, io_uring or nio)");
        }
    }

    private static String ioUringUnavailability() {
        try {
            Throwable cause = IoUring.unavailabilityCause();
            return cause == null ? "no cause given" : cause.toString();
        } catch (Throwable e) { // the classes themselves may be missing
            return e.toString();
        }
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        IoHandlerFactory factory = switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends Channel> clientChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** The listener class for unix sockets ({@code local_ports}). */
    public Class<? extends ServerChannel> domainServerChannel() {
        return switch (this) {
            case EPOLL -> EpollServerDomainSocketChannel.class;
            case IO_URING -> IoUringServerDomainSocketChannel.class;
            case NIO -> NioServerDomainSocketChannel.class;
        };
    }

    /** The address of a unix socket in this transport's own type. */
    public SocketAddress domainAddress(Path path) {
        return this == NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path.toString());
    }
}
