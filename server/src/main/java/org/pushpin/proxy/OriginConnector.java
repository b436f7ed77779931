package org.pushpin.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.concurrent.atomic.AtomicLong;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import org.pushpin.routing.ClientIdentity;
import org.pushpin.transport.Transport;

/**
 * Opens origin connections on the caller's event loop (so the client and origin sockets share a thread) with
 * auto-read off: the exchange reads from the origin only as fast as the client takes the bytes.
 *
 * <p>The in-JVM rule: a client of an in-JVM listener ({@code PushpinServer.listenInJvm}) lives on a local loop,
 * where only in-JVM channels can register, so its origin is reached over the in-JVM transport as well: the
 * target {@code host:port} of the route becomes {@code new LocalAddress("host:port")}, which the in-JVM origin
 * binds. Socket clients always reach their origins over sockets.
 */
final class OriginConnector {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Origin response heads are not limited by client_buffer_size; this bounds a hostile origin. */
    private static final int MAX_ORIGIN_HEADER_SIZE = 65_536;

    /**
     * Names of the in-JVM origin connections' own addresses. Left to Netty, a local channel's address comes from
     * 32 random bits of its id, and a clash with a live channel fails the connect ("address already in use"): rare
     * per connect, but certain somewhere in a million.
     */
    private static final AtomicLong LOCAL_NAMES = new AtomicLong();

    private final Transport transport;
    private volatile SslContext verifying;
    private volatile SslContext insecure;
    /** Contexts with a client certificate; a routes reload with other files adds one (they are few and small). */
    private final java.util.concurrent.ConcurrentHashMap<IdentityKey, SslContext> withIdentity =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Read by every origin connection's handler when it times a read, so that a change reaches pooled ones too. */
    private volatile long originTimeoutMillis;

    /** @param originTimeoutMillis origin inactivity limit ({@code origin_timeout}), 0 = none */
    OriginConnector(Transport transport, long originTimeoutMillis) {
        this.transport = transport;
        this.originTimeoutMillis = originTimeoutMillis;
    }

    /** The origin inactivity limit in ms, 0 = none. */
    long originTimeoutMillis() {
        return originTimeoutMillis;
    }

    /** A new limit (SIGHUP): from the next timed read of every origin connection on. */
    void originTimeoutMillis(long millis) {
        originTimeoutMillis = millis;
    }

    ChannelFuture connect(EventLoop loop, OriginKey key) {
        return connect(loop, key, null);
    }

    /** @param address where to connect instead of resolving {@code key}'s host (see {@link OriginPolicy}), or null */
    ChannelFuture connect(EventLoop loop, OriginKey key, java.net.InetSocketAddress address) {
        boolean inJvm = isInJvm(loop);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(inJvm ? LocalChannel.class : transport.clientChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) throws SSLException {
                        ChannelPipeline p = ch.pipeline();
                        if (key.ssl()) {
                            p.addLast("tls", tlsHandler(ch, key));
                        }
                        p.addLast("codec", new HttpClientCodec(8192, MAX_ORIGIN_HEADER_SIZE, 65_536));
                        // Pushpin (via zurl) always gives clients identity bodies.
                        p.addLast("inflate", new HttpContentDecompressor(0));
                        p.addLast("origin", new OriginHandler(key, OriginConnector.this));
                    }
                });
        if (inJvm) {
            return b.connect(new LocalAddress(key.host() + ":" + key.port()),
                    new LocalAddress("pushpin-origin-client-" + LOCAL_NAMES.incrementAndGet()));
        }
        // set here only: a local channel has no such option and Bootstrap would warn on every connect
        b.option(ChannelOption.TCP_NODELAY, true);
        return address != null ? b.connect(address) : b.connect(key.host(), key.port());
    }

    /**
     * TLS to the origin: the certificate is checked (unless {@code insecure}) against {@link OriginKey#tlsName()},
     * which goes out as SNI (not for an IP address, which SNI cannot carry), or also against the connect host when
     * the peer host differs ({@link OriginKey#verifyName()}).
     */
    private SslHandler tlsHandler(Channel ch, OriginKey key) throws SSLException {
        SslHandler h = sslContext(key.insecure(), key.identity()).newHandler(ch.alloc(), key.verifyName(),
                key.port());
        if (!key.tlsName().equals(key.verifyName())) {
            SSLEngine engine = h.engine();
            SSLParameters params = engine.getSSLParameters();
            try {
                params.setServerNames(List.of(new SNIHostName(key.tlsName())));
            } catch (IllegalArgumentException e) {
                params.setServerNames(List.of()); // an IP address or no valid name: no SNI
            }
            engine.setSSLParameters(params);
        }
        return h;
    }

    private static boolean isInJvm(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(LocalIoHandler.class);
    }

    private SslContext sslContext(boolean skipChecks, ClientIdentity identity) throws SSLException {
        if (identity != null) {
            return withIdentity.computeIfAbsent(new IdentityKey(identity, skipChecks), OriginConnector::newContext);
        }
        SslContext ctx = skipChecks ? insecure : verifying;
        if (ctx == null) {
            synchronized (this) {
                ctx = build(SslContextBuilder.forClient(), skipChecks);
                if (skipChecks) {
                    insecure = ctx;
                } else {
                    verifying = ctx;
                }
            }
        }
        return ctx;
    }

    private static SslContext build(SslContextBuilder builder, boolean skipChecks) throws SSLException {
        if (skipChecks) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return builder.build();
    }

    /** One context per client certificate (and check mode): a context holds the key, shared by its connections. */
    private record IdentityKey(ClientIdentity identity, boolean skipChecks) {
    }

    private static SslContext newContext(IdentityKey k) {
        try {
            return build(SslContextBuilder.forClient().keyManager(
                    new java.io.ByteArrayInputStream(k.identity().certPem().getBytes(StandardCharsets.UTF_8)),
                    new java.io.ByteArrayInputStream(k.identity().keyPem().getBytes(StandardCharsets.UTF_8))),
                    k.skipChecks());
        } catch (SSLException | IllegalArgumentException e) {
            // the connect fails with this, and the request gets the connect error (502)
            throw new IllegalStateException("client_cert/client_key not usable: " + e.getMessage(), e);
        }
    }

}
