package org.pushpin.ingest;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.pushpin.config.HandlerConfig;
import org.pushpin.hub.Publisher;
import org.pushpin.server.Transport;

/** API stub: the HTTP control API is being written. */
public final class ControlApiServer implements AutoCloseable {
    public static ControlApiServer start(EventLoopGroup group, Transport transport, HandlerConfig cfg,
                                         Publisher publisher) {
        return new ControlApiServer();
    }

    public InetSocketAddress address() {
        return null;
    }

    @Override
    public void close() {
    }
}
