package org.pushpin.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.config.ListenSpec;
import org.pushpin.config.RunnerConfig;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client listeners of one server: {@code http_port}, {@code https_ports} (SNI), {@code local_ports} (unix
 * sockets) on the given event loops, and on demand in-JVM listeners ({@link #listenInJvm}) on loops of their own;
 * every one with the same client pipeline, {@code client_maxconn} limit and proxy context.
 */
public final class Listeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final EventLoopGroup group;
    private final Transport transport;
    private final ProxyContext context;
    private final ConnectionLimiter limiter;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> httpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> httpsAddresses = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final InJvmListeners inJvm;

    public Listeners(EventLoopGroup group, Transport transport, ProxyContext context, int clientMaxconn,
                     int inJvmThreads) {
        this.group = group;
        this.transport = transport;
        this.context = context;
        this.limiter = new ConnectionLimiter(clientMaxconn);
        this.inJvm = new InJvmListeners(inJvmThreads);
    }

    /** Binds every listener of {@code runner} (port 0 = ephemeral). */
    public void bindAll(RunnerConfig runner) throws Exception {
        for (ListenSpec spec : runner.httpPorts()) {
            httpAddresses.add(bind(spec, new ClientPipelineInitializer(context, limiter, null,
                    runner.http2MaxConcurrentStreams())));
        }
        for (ListenSpec spec : runner.httpsPorts()) {
            TlsCertificates certs = new TlsCertificates(runner.certsDir(), spec.port(),
                    runner.http2MaxConcurrentStreams() > 0);
            if (!certs.hasDefault()) {
                LOG.warn("no default certificate default_{}.crt in {}: clients without SNI will fail",
                        spec.port(), runner.certsDir());
            }
            httpsAddresses.add(bind(spec, new ClientPipelineInitializer(context, limiter, certs,
                    runner.http2MaxConcurrentStreams())));
        }
        for (Path path : runner.localPorts()) {
            bindLocal(path, new ClientPipelineInitializer(context, limiter, null));
        }
    }

    private InetSocketAddress bind(ListenSpec spec, ClientPipelineInitializer init) throws InterruptedException {
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

    private void bindLocal(Path path, ClientPipelineInitializer init) throws InterruptedException, IOException {
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

    /** See {@code PushpinServer.listenInJvm}. */
    public LocalAddress listenInJvm(String name) throws InterruptedException {
        return inJvm.bind(name, new ClientPipelineInitializer(context, limiter, null), limiter);
    }

    /** The event loops of in-JVM connections (null before {@link #listenInJvm}). */
    public EventLoopGroup inJvmLoops() {
        return inJvm.group();
    }

    /** The in-JVM address whose connections are served on {@code loop}, or null. */
    public LocalAddress inJvmAddressOn(EventLoop loop) {
        return inJvm.addressOn(loop);
    }

    public List<InetSocketAddress> httpAddresses() {
        return List.copyOf(httpAddresses);
    }

    public List<InetSocketAddress> httpsAddresses() {
        return List.copyOf(httpsAddresses);
    }

    /** Stops accepting on every listener and closes the in-JVM loops; removes the unix socket files. */
    @Override
    public void close() {
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
        }
        inJvm.close();
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("removing {}", p, e);
            }
        }
    }
}
