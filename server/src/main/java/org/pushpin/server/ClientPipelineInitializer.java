package org.pushpin.server;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SniHandler;
import org.pushpin.proxy.ClientConnection;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.proxy.RequestHandlers;

/**
 * The client pipeline, top to bottom in one place. With HTTP/2 on ({@code http2_max_concurrent_streams} > 0) a
 * {@link PrefaceSniffer} comes first (after tls) and builds one of the two pipelines behind it once the client's
 * first bytes tell HTTP/2's preface from an HTTP/1 request: HTTP/2 as in {@link Http2Connections}, HTTP/1 as here:
 * [tls (SNI)] → request decoder (head ≤ client_buffer_size) → response encoder → 100-continue → flow control
 * (one message per read, so pipelined requests wait their turn) → the connection's proxy handler.
 * After a WebSocket upgrade ({@link RequestHandlers#removeForUpgrade}): [tls] → frame encoder → frame decoder →
 * UTF-8 validator → the client WebSocket ({@code proxy.ClientWebSocketHandler}) → the proxy handler.
 */
final class ClientPipelineInitializer extends ChannelInitializer<Channel> {
    /** The allocator is only settings (each channel keeps its own handle): one for all instead of one each. */
    private static final RecvByteBufAllocator RECV_ALLOCATOR = new AdaptiveRecvByteBufAllocator();

    private final ProxyContext context;
    private final ConnectionLimiter limiter;
    private final TlsCertificates tls;
    /** Null where HTTP/2 is off (or not offered on this listener). */
    private final Http2Connections http2;
    private final PrefaceSniffer.Protocols protocols = new PrefaceSniffer.Protocols() {
        @Override
        public void http1(ChannelHandlerContext sniffer) {
            addHttp1(sniffer.pipeline(), true);
        }

        @Override
        public void http2(ChannelHandlerContext sniffer) {
            http2.install(sniffer.pipeline(), sniffer.name());
        }
    };

    /** @param tls certificates for a TLS listener, or null for plain HTTP */
    ClientPipelineInitializer(ProxyContext context, ConnectionLimiter limiter, TlsCertificates tls) {
        this(context, limiter, tls, 0);
    }

    /**
     * @param http2MaxStreams {@code http2_max_concurrent_streams}: HTTP/2 (prior knowledge, or ALPN h2 after TLS)
     *                        besides HTTP/1 on this listener when above 0
     */
    ClientPipelineInitializer(ProxyContext context, ConnectionLimiter limiter, TlsCertificates tls,
                              int http2MaxStreams) {
        this.context = context;
        this.limiter = limiter;
        this.tls = tls;
        this.http2 = http2MaxStreams > 0
                ? new Http2Connections(context, tls != null, ConnectionLimiter.ADMITTED, http2MaxStreams) : null;
    }

    @Override
    protected void initChannel(Channel ch) {
        boolean admitted = limiter.opened(ch);
        ch.config().setAutoRead(false);
        ch.config().setRecvByteBufAllocator(RECV_ALLOCATOR);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", new SniHandler(tls));
        }
        if (http2 != null) {
            p.addLast("sniff", new PrefaceSniffer(protocols, context.config().timeouts().clientRequestSeconds(),
                    admitted, ConnectionLimiter.ADMITTED));
        } else {
            addHttp1(p, admitted);
        }
    }

    private void addHttp1(ChannelPipeline p, boolean admitted) {
        p.addLast("decoder", decoder());
        p.addLast("encoder", new HttpResponseEncoder());
        p.addLast("continue", new HttpServerExpectContinueHandler());
        p.addLast("flow", new FlowControlHandler());
        p.addLast("proxy", new ClientConnection(context, tls != null, admitted, ConnectionLimiter.ADMITTED,
                requestHandlers));
    }

    /** A request decoder with {@code client_buffer_size} as now in force (it may change on SIGHUP). */
    private ClientRequestDecoder decoder() {
        return new ClientRequestDecoder(context.config().runner().clientBufferSize());
    }

    /**
     * Takes the request-reading handlers and the response encoder out for a compacted stream hold (which frames its
     * own bytes) and puts them back when it ends.
     */
    private final RequestHandlers requestHandlers = new RequestHandlers() {
        @Override
        public void remove(ChannelPipeline p) {
            p.remove("encoder");
            if (p.get("decoder") instanceof ClientRequestDecoder d && d.hasPendingBytes()) {
                return; // the client already sent more (a pipelined request): keep it for after the stream
            }
            for (String name : new String[] {"flow", "continue", "decoder"}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
        }

        @Override
        public void removeForUpgrade(ChannelPipeline p) {
            // bytes the decoder already holds (the client's first frames) go on to the frame decoder behind it
            for (String name : new String[] {"encoder", "flow", "continue", "decoder"}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
        }

        @Override
        public void restore(ChannelPipeline p) {
            if (p.get("encoder") == null) {
                // Ahead of (closer to the socket than) 100-continue, whose interim responses it encodes.
                p.addBefore(p.get("continue") != null ? "continue" : "proxy", "encoder", new HttpResponseEncoder());
            }
            if (p.get("decoder") == null) {
                p.addBefore("encoder", "decoder", decoder());
                p.addBefore("proxy", "continue", new HttpServerExpectContinueHandler());
                p.addBefore("proxy", "flow", new FlowControlHandler());
            }
        }
    };
}
