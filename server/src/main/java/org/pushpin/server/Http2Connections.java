package org.pushpin.server;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flow.FlowControlHandler;
import org.pushpin.proxy.ClientConnection;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.proxy.RequestHandlers;

/**
 * HTTP/2 on a client connection (after {@link PrefaceSniffer} saw the preface): Netty's frame codec and stream
 * multiplexer on the connection, and on each stream a child channel with the HTTP/1 proxy handlers behind
 * Netty's HTTP/2-to-HTTP/1 codec, so that proxying, holds and GRIP work as they do for HTTP/1:
 * <pre>
 * connection: [tls] ─ Http2FrameCodec ─ Http2MultiplexHandler
 * stream:     Http2StreamCodec ─ 100-continue ─ FlowControlHandler ─ ClientConnection
 * </pre>
 * The codec and the initializer are shared by every stream; a stream hold that owns its stream takes
 * 100-continue and flow control out, as on HTTP/1.
 *
 * <p>Limits against a misbehaving client (each refused with GOAWAY by Netty's connection handler):
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS} ({@code http2_max_concurrent_streams}); a header list of at most
 * {@code client_buffer_size} bytes decoded, however small its HPACK form (HPACK bombs) and however many
 * CONTINUATION frames carry it; at most {@value #MAX_RST_PER_WINDOW} streams reset by the client per
 * {@value #RST_WINDOW_SECONDS} s (rapid reset, CVE-2023-44487); a dynamic table of 4096 bytes. A connection without
 * an open stream for {@code client_request_timeout} is closed ({@link Http2IdleClose}).
 */
final class Http2Connections {
    static final int MAX_RST_PER_WINDOW = 200;
    static final int RST_WINDOW_SECONDS = 30;
    private static final int HEADER_TABLE_SIZE = 4096;
    private static final ChannelHandler STREAM_CODEC = new Http2StreamCodec();
    /** The allocator is only settings (each stream keeps its own handle): one for all instead of one each. */
    private static final RecvByteBufAllocator RECV_ALLOCATOR = new AdaptiveRecvByteBufAllocator();

    private final ProxyContext context;
    private final boolean tls;
    private final Object admittedEvent;
    private final int maxConcurrentStreams;
    private final ChannelHandler streamInitializer = new StreamInitializer();

    /** @param maxConcurrentStreams {@code http2_max_concurrent_streams}, at least 1 */
    Http2Connections(ProxyContext context, boolean tls, Object admittedEvent, int maxConcurrentStreams) {
        this.context = context;
        this.tls = tls;
        this.admittedEvent = admittedEvent;
        this.maxConcurrentStreams = maxConcurrentStreams;
    }

    /** Adds the connection's HTTP/2 handlers after {@code after}; the connection reads on its own from now on. */
    void install(ChannelPipeline p, String after) {
        int maxHeaderList = context.config().runner().clientBufferSize();
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(maxConcurrentStreams)
                .maxHeaderListSize(maxHeaderList)
                .headerTableSize(HEADER_TABLE_SIZE);
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .validateHeaders(true)
                .build();
        p.addAfter(after, "h2", codec);
        Http2IdleClose.watch(p.channel(), codec.connection(),
                () -> context.config().timeouts().clientRequestSeconds());
        p.addAfter("h2", "h2streams", new Http2MultiplexHandler(streamInitializer));
        // HTTP/2's own flow control (per stream and per connection) bounds what a client can send unread
        p.channel().config().setAutoRead(true);
    }

    @ChannelHandler.Sharable
    private final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.config().setAutoRead(false);
            ch.config().setRecvByteBufAllocator(RECV_ALLOCATOR);
            ChannelPipeline p = ch.pipeline();
            p.addLast("codec", STREAM_CODEC);
            p.addLast("continue", new HttpServerExpectContinueHandler());
            p.addLast("flow", new FlowControlHandler());
            p.addLast("proxy", new ClientConnection(context, tls, true, admittedEvent, STREAM_HANDLERS));
        }
    }

    /**
     * What a stream hold takes out and puts back on a stream (see {@link RequestHandlers}). The codec stays: it
     * carries the bytes, framed by {@link Http2StreamCodec}. Stateless (the pipeline says what was taken out).
     */
    static final RequestHandlers STREAM_HANDLERS = new RequestHandlers() {
        @Override
        public void remove(ChannelPipeline p) {
            for (String name : new String[] {"flow", "continue"}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
        }

        @Override
        public void removeForUpgrade(ChannelPipeline p) {
            // A stream never upgrades: HTTP/2 refuses the Upgrade header (RFC 9113 §8.2.2) and extended CONNECT
            // (RFC 8441) is not offered. Nothing reaches here; close the stream should it ever.
            p.channel().close();
        }

        @Override
        public void restore(ChannelPipeline p) {
            if (p.get("flow") != null) {
                return;
            }
            // A held stream ended: its bytes went out as bare DATA frames; END_STREAM closes it.
            Channel ch = p.channel();
            if (ch instanceof Http2StreamChannel s && s.stream().state().localSideOpen()) {
                ch.writeAndFlush(new DefaultHttp2DataFrame(true));
            }
            p.addBefore("proxy", "continue", new HttpServerExpectContinueHandler());
            p.addBefore("proxy", "flow", new FlowControlHandler());
        }
    };
}
