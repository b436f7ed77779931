package org.pushpin.it.ws;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.PushpinConfig;
import org.pushpin.config.StartOptions;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.proxy.RelayGripHandoff;
import org.pushpin.proxy.WsSessions;
import org.pushpin.routing.RouteSources;
import org.pushpin.server.Listeners;
import org.pushpin.transport.Transport;

/**
 * pushpin-java's proxy and listeners (as {@code PushpinServer} assembles them) with the test's own
 * {@link WsSessions}: the seam the holds package plugs into, observed from the proxy's side.
 */
final class WsSessionHarness implements AutoCloseable {
    private final EventLoopGroup group;
    private final Listeners listeners;

    /** @param configFile a {@code pushpin.conf} (written by a {@code PushpinServerExtension}) */
    WsSessionHarness(Path configFile, WsSessions sessions) throws Exception {
        PushpinConfig config = ConfigLoader.load(new StartOptions(configFile, null, null, false, null, null,
                List.of()));
        Transport transport = Transport.best();
        group = transport.newGroup(2, new DefaultThreadFactory("ws-harness", true));
        ServerMetrics metrics = new ServerMetrics();
        ProxyContext context = new ProxyContext(config, RouteSources.open(config.proxy()), new RelayGripHandoff(),
                sessions, transport, metrics, org.pushpin.metrics.HeapPressure.off());
        listeners = new Listeners(group, transport, context, config.runner().clientMaxconn(), 2);
        listeners.bindAll(config.runner());
    }

    int port() {
        return listeners.httpAddresses().get(0).getPort();
    }

    @Override
    public void close() {
        listeners.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
