package org.pushpin.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pushpin.config.ListenSpec;
import org.pushpin.config.PushpinConfig;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.hold.HoldHandoff;
import org.pushpin.hub.Hub;
import org.pushpin.ingest.ControlApiServer;
import org.pushpin.routing.RouteSources;
import org.pushpin.routing.RouteSource;
import org.pushpin.routing.RoutesFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: every listener of the config on one set of event loops (one per core), and on demand
 * in-JVM listeners ({@link #listenInJvm}) on a second set.
 */
public final class PushpinServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushpinServer.class);

    private final EventLoopGroup group;
    private final RouteSource routes;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> httpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> httpsAddresses = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final InJvmListeners inJvm;
    private ProxyContext context;
    private ConnectionLimiter limiter;
    private Hub hub;
    private ControlApiServer control;
    private EventLoopGroup controlGroup;

    private PushpinServer(EventLoopGroup group, RouteSource routes, int threads) {
        this.group = group;
        this.routes = routes;
        this.inJvm = new InJvmListeners(threads);
    }

    /**
     * Binds every listener of {@code config} (port 0 = ephemeral), the HTTP control API when
     * {@code push_in_http_port} is set, and starts serving: GRIP holds subscribe through one hub that every
     * publish input feeds.
     */
    public static PushpinServer start(PushpinConfig config) throws Exception {
        Transport transport = Transport.best();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = transport.newGroup(threads, new DefaultThreadFactory("pushpin-io", true));
        RouteSource routes = null;
        PushpinServer server = null;
        try {
            routes = RouteSources.open(config.proxy());
            server = new PushpinServer(group, routes, threads);
            Hub hub = new Hub(config.handler());
            server.hub = hub;
            server.context = new ProxyContext(config, routes, new HoldHandoff(hub), transport);
            server.limiter = new ConnectionLimiter(config.runner().clientMaxconn());
            server.bindAll(config, transport);
            // Publishers get their own loop: a busy fanout on the client loops must not keep a publish waiting for
            // its answer (as Pushpin's handler is apart from its connection manager). The hub queue is in between.
            EventLoopGroup controlLoop = group;
            if (config.handler().pushInHttpPort() >= 0) {
                controlLoop = server.controlGroup = transport.newGroup(1,
                        new DefaultThreadFactory("pushpin-control", true));
            }
            server.control = ControlApiServer.start(controlLoop, transport, config.handler(), hub);
            LOG.info("pushpin-java started ({} transport, {} event loops)", transport.name().toLowerCase(), threads);
            return server;
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            } else {
                if (routes instanceof AutoCloseable c) {
                    c.close();
                }
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
    }

    private void bindAll(PushpinConfig config, Transport transport) throws Exception {
        for (ListenSpec spec : config.runner().httpPorts()) {
            httpAddresses.add(bind(transport, spec, new ClientPipelineInitializer(context, limiter, null), limiter));
        }
        for (ListenSpec spec : config.runner().httpsPorts()) {
            TlsCertificates certs = new TlsCertificates(config.runner().certsDir(), spec.port());
            if (!certs.hasDefault()) {
                LOG.warn("no default certificate default_{}.crt in {}: clients without SNI will fail",
                        spec.port(), config.runner().certsDir());
            }
            httpsAddresses.add(bind(transport, spec, new ClientPipelineInitializer(context, limiter, certs), limiter));
        }
        for (Path path : config.runner().localPorts()) {
            bindLocal(transport, path, new ClientPipelineInitializer(context, limiter, null), limiter);
        }
    }

    private InetSocketAddress bind(Transport transport, ListenSpec spec, ClientPipelineInitializer init,
                                   ConnectionLimiter limiter) throws InterruptedException {
        InetSocketAddress addr = spec.host() == null ? new InetSocketAddress(spec.port())
                : new InetSocketAddress(spec.host(), spec.port());
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(init)
                .bind(addr).sync().channel();
        listeners.add(ch);
        limiter.addListener(ch);
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        LOG.info("listening on {}", bound);
        return bound;
    }

    private void bindLocal(Transport transport, Path path, ClientPipelineInitializer init,
                           ConnectionLimiter limiter) throws InterruptedException, IOException {
        Files.deleteIfExists(path);
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(transport.domainServerChannel())
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(init)
                .bind(transport.domainAddress(path)).sync().channel();
        listeners.add(ch);
        limiter.addListener(ch);
        socketFiles.add(path);
        LOG.info("listening on unix:{}", path);
    }

    /**
     * Listens on Netty's in-JVM transport as {@code new LocalAddress(name)} ({@code name} unique in this JVM),
     * through the same pipeline, limits and hub as the configured listeners; a program in this JVM connects a
     * {@code LocalChannel} to the returned address. The origins of requests that arrive this way are reached over the
     * in-JVM transport too: a route target {@code host:port} means {@code new LocalAddress("host:port")}, bound by
     * the in-JVM origin. Also binds {@code name@k} for each in-JVM loop k (see {@link #inJvmAddressOn}). Closed by
     * {@link #close()}.
     */
    public LocalAddress listenInJvm(String name) throws InterruptedException {
        return inJvm.bind(name, new ClientPipelineInitializer(context, limiter, null), limiter);
    }

    /**
     * The event loops of in-JVM connections (null before {@link #listenInJvm}): in-JVM clients may run on them too,
     * so that a client and its server end can share a loop.
     */
    public EventLoopGroup inJvmLoops() {
        return inJvm.group();
    }

    /**
     * For in-JVM clients that run on {@link #inJvmLoops()} themselves: the address (of the last
     * {@link #listenInJvm}) whose connections are served on {@code loop}, so that a client and its server end share
     * one loop and hand bytes over without a task between threads; null for another loop.
     */
    public LocalAddress inJvmAddressOn(EventLoop loop) {
        return inJvm.addressOn(loop);
    }

    /** Re-reads the routes file now (SIGHUP); a no-op for {@code --route} lines. */
    public void reloadRoutes() {
        if (routes instanceof RoutesFile file) {
            file.reload();
        }
    }

    /** The bound plain HTTP addresses, in config order (actual ports when 0 was asked). */
    public List<InetSocketAddress> httpAddresses() {
        return List.copyOf(httpAddresses);
    }

    /** The bound TLS addresses, in config order. */
    public List<InetSocketAddress> httpsAddresses() {
        return List.copyOf(httpsAddresses);
    }

    /** The bound HTTP control API address, or null when {@code push_in_http_port} is unset. */
    public InetSocketAddress controlAddress() {
        return control == null ? null : control.address();
    }

    /** The hub every publish goes through (for in-process publishers and statistics). */
    public Hub hub() {
        return hub;
    }

    /** Stops accepting, closes every connection and the event loops; waits until done. */
    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        if (controlGroup != null) {
            controlGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
        }
        inJvm.close();
        if (routes instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing routes", e);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (hub != null) {
            hub.close();
        }
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("removing {}", p, e);
            }
        }
    }
}
