package org.pushpin.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import org.pushpin.server.Transport;

/**
 * Opens origin connections on the caller's event loop (so the client and origin sockets share a thread) with
 * auto-read off: the exchange reads from the origin only as fast as the client takes the bytes.
 */
final class OriginConnector {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Origin response heads are not limited by client_buffer_size; this bounds a hostile origin. */
    private static final int MAX_ORIGIN_HEADER_SIZE = 65_536;

    private final Transport transport;
    private volatile SslContext verifying;
    private volatile SslContext insecure;

    OriginConnector(Transport transport) {
        this.transport = transport;
    }

    ChannelFuture connect(EventLoop loop, OriginKey key) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) throws SSLException {
                        ChannelPipeline p = ch.pipeline();
                        if (key.ssl()) {
                            p.addLast("tls", sslContext(key.insecure()).newHandler(ch.alloc(), key.host(), key.port()));
                        }
                        p.addLast("codec", new HttpClientCodec(8192, MAX_ORIGIN_HEADER_SIZE, 65_536));
                        // Pushpin (via zurl) always gives clients identity bodies.
                        p.addLast("inflate", new HttpContentDecompressor(0));
                        p.addLast("origin", new OriginHandler(key));
                    }
                });
        return b.connect(key.host(), key.port());
    }

    private SslContext sslContext(boolean skipChecks) throws SSLException {
        SslContext ctx = skipChecks ? insecure : verifying;
        if (ctx == null) {
            synchronized (this) {
                SslContextBuilder builder = SslContextBuilder.forClient();
                if (skipChecks) {
                    builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
                ctx = builder.build();
                if (skipChecks) {
                    insecure = ctx;
                } else {
                    verifying = ctx;
                }
            }
        }
        return ctx;
    }
}
