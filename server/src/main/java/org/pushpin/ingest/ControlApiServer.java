package org.pushpin.ingest;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.pushpin.config.HandlerConfig;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.Input;
import org.pushpin.publish.Publisher;
import org.pushpin.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP control API ({@code push_in_http_addr}:{@code push_in_http_port}, docs/publishing.md#http-control-api):
 * {@code /publish}, {@code /recover}, {@code /} and {@code /health} ({@link ControlHealth}), an {@link Input} to the one {@link Publisher}. Runs on the event
 * loop it is given (the composition root gives it one of its own). Not started when the port is -1 (unset).
 *
 * <p>Use: {@code ControlApiServer api = ControlApiServer.start(group, transport, config.handler(), publisher,
 * new ControlHealth(metrics, redisBroker));}
 * then {@code api.close()} before the event loops shut down.
 */
public final class ControlApiServer implements Input {
    private static final Logger LOG = LoggerFactory.getLogger("handler");

    private final Channel listener; // null when not started

    private ControlApiServer(Channel listener) {
        this.listener = listener;
    }

    /**
     * As {@link #start(EventLoopGroup, Transport, HandlerConfig, Publisher, ControlHealth)}, with a {@code /health}
     * that reads counters of its own (all zero) and watches no broker.
     *
     * @throws InterruptedException while waiting for the bind
     */
    public static ControlApiServer start(EventLoopGroup group, Transport transport, HandlerConfig cfg,
                                         Publisher publisher) throws InterruptedException {
        return start(group, transport, cfg, publisher, new ControlHealth(new ServerMetrics(), false));
    }

    /**
     * Binds and starts serving (port 0 = ephemeral). Items go to {@code publisher} before the 200 is written;
     * {@code /health} answers from {@code health}.
     *
     * @throws InterruptedException while waiting for the bind
     * @throws io.netty.channel.ChannelException (or another exception of the transport) when the bind fails
     */
    public static ControlApiServer start(EventLoopGroup group, Transport transport, HandlerConfig cfg,
                                         Publisher publisher, ControlHealth health) throws InterruptedException {
        requireNonNull(group, "group");
        requireNonNull(transport, "transport");
        requireNonNull(cfg, "cfg");
        requireNonNull(publisher, "publisher");
        requireNonNull(health, "health");
        if (cfg.pushInHttpPort() < 0) {
            return new ControlApiServer(null);
        }
        int maxHeaders = cfg.pushInHttpMaxHeadersSize();
        int maxBody = cfg.pushInHttpMaxBodySize();
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new ControlConnectionHandler(maxHeaders, maxBody, publisher, health));
                    }
                })
                .bind(new InetSocketAddress(cfg.pushInHttpAddr(), cfg.pushInHttpPort())).sync().channel();
        ControlApiServer server = new ControlApiServer(ch);
        LOG.info("http control server: {}", server.address());
        return server;
    }

    /** The bound address (the actual port when 0 was asked), or null when not started. */
    public InetSocketAddress address() {
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    @Override
    public String name() {
        return "http control";
    }

    /** Stops accepting; requests in progress finish on their own. */
    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }
}
