package org.pushpin.server;

import java.net.InetSocketAddress;
import java.util.List;
import org.pushpin.config.PushpinConfig;

/** The running proxy: every listener of the config, one set of event loops. */
public final class PushpinServer implements AutoCloseable {

    /** Binds every listener of {@code config} (port 0 = ephemeral) and starts serving. */
    public static PushpinServer start(PushpinConfig config) throws Exception {
        throw new UnsupportedOperationException("TODO");
    }

    /** The bound plain HTTP addresses, in config order (actual ports when 0 was asked). */
    public List<InetSocketAddress> httpAddresses() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The bound TLS addresses, in config order. */
    public List<InetSocketAddress> httpsAddresses() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops accepting, closes every connection and the event loops; waits until done. */
    @Override
    public void close() {
    }
}
