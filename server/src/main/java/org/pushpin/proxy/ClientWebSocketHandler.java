package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.util.concurrent.Future;
import org.pushpin.metrics.ServerMetrics;

/**
 * {@link ClientWebSocket} on the client connection. Until {@link #accept} it is not in the pipeline and the HTTP
 * codecs still own the connection; {@code accept} writes the 101 that Netty's {@link WebSocketServerHandshaker13}
 * builds (accept key, upgrade headers, the subprotocol the other side chose), puts Netty's frame codecs and
 * {@link Utf8FrameValidator} where the HTTP codecs were and itself behind them.
 *
 * <p>Protocol errors (an unmasked frame, invalid UTF-8, a frame over {@link #MAX_FRAME}) are answered by Netty's
 * decoders with the RFC 6455 close code (1002, 1007, 1009) and the connection closes. Everything else is relayed
 * as {@link WebSocketEnd} describes: nothing reassembled, nothing answered.
 */
public final class ClientWebSocketHandler extends WebSocketEnd implements ClientWebSocket {
    /**
     * Largest frame payload a client may send (a larger one is refused with 1009). Messages are not limited: they
     * are relayed frame by frame, and a frame is the most held in memory. 64 KiB is our choice; Pushpin's own
     * limit was not measured (1.36 sends no close frame for an oversized frame at all).
     */
    public static final int MAX_FRAME = 65_536;
    /** Bytes of published messages a client may have waiting before it is dropped (as a held stream's limit). */
    static final long MAX_PENDING_BYTES = 1 << 20;

    private final Channel channel;
    /** The upgrade request until {@link #accept} or {@link #reject}: a held WebSocket does not keep its head. */
    private HttpRequest request;
    private final RequestHandlers handlers;
    private final ServerMetrics metrics;
    private final boolean allowCompression;

    /**
     * @param request  the client's upgrade request (its headers are read at {@link #accept})
     * @param handlers the HTTP codecs to take out once upgraded
     */
    public ClientWebSocketHandler(Channel channel, HttpRequest request, RequestHandlers handlers,
                                  ServerMetrics metrics, boolean allowCompression) {
        super("client");
        this.channel = channel;
        this.request = request;
        this.handlers = handlers;
        this.metrics = metrics;
        this.allowCompression = allowCompression;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public EventLoop loop() {
        return channel.eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public Future<Void> closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public void accept(HttpHeaders headers, Listener listener) {
        if (!channel.isActive()) {
            listener.onGone();
            return;
        }
        HttpRequest request = this.request;
        this.request = null;
        HttpHeaders given = headers == null ? EmptyHttpHeaders.INSTANCE : headers;
        Handshaker handshaker = new Handshaker(request.uri(), given.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        FullHttpResponse response;
        try {
            response = handshaker.response(full, given);
        } catch (WebSocketHandshakeException e) {
            RequestLog.debug("invalid WebSocket handshake from client", e);
            reject(ErrorResponses.text(channel.alloc(), HttpVersion.HTTP_1_1, 400, "Bad Request",
                    "Invalid WebSocket handshake: " + e.getMessage()));
            listener.onGone();
            return;
        }
        WebSocketServerExtension deflate = allowCompression ? ClientCompression.negotiate(request.headers()) : null;
        if (deflate != null) {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, ClientCompression.responseValue(deflate));
        }
        this.listener = listener;
        // The HTTP encoder is still in place: the 101 is encoded now, on this call, before it is taken out.
        channel.writeAndFlush(response);
        ChannelPipeline p = channel.pipeline();
        String last = p.context(ClientConnection.class).name();
        // Encoder ahead of the decoders: the close frames they answer protocol errors with are written from their
        // own place in the pipeline and must still pass an encoder.
        p.addBefore(last, "ws-encoder", handshaker.encoder());
        if (deflate == null) {
            p.addBefore(last, "ws-decoder", handshaker.decoder());
        } else {
            p.addBefore(last, "ws-decoder", new WebSocket13FrameDecoder(ClientCompression.decoderConfig()));
            p.addBefore(last, "ws-inflate", deflate.newExtensionDecoder());
            p.addBefore(last, "ws-deflate", deflate.newExtensionEncoder());
        }
        p.addBefore(last, "ws-utf8", new Utf8FrameValidator(true));
        p.addBefore(last, "ws-client", this);
        handlers.removeForUpgrade(p);
        metrics.connectionUpgraded(ServerMetrics.ConnectionKind.HTTP, ServerMetrics.ConnectionKind.WEBSOCKET);
        setReading(true);
    }

    @Override
    public void reject(FullHttpResponse response) {
        request = null;
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Published messages to a client that does not read them: once more than {@link #MAX_PENDING_BYTES} wait for
     * its socket, the connection is dropped, counted ({@code SLOW_CLIENT}) and logged — as a held stream is —
     * rather than kept growing in memory (frames from the origin are paced by backpressure instead; publishes
     * cannot be).
     */
    @Override
    public void writeEncoded(io.netty.buffer.ByteBuf encodedFrames) {
        if (!channel.isWritable()) {
            io.netty.channel.ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
            if (pending != null
                    && pending.totalPendingWriteBytes() + encodedFrames.readableBytes() > MAX_PENDING_BYTES) {
                encodedFrames.release();
                metrics.dropped(ServerMetrics.Drop.SLOW_CLIENT, 1);
                metrics.dropWarning(ServerMetrics.Drop.SLOW_CLIENT).warn(
                        "dropped a WebSocket client that could not keep up (over {} bytes pending)", MAX_PENDING_BYTES);
                channel.close();
                return;
            }
        }
        super.writeEncoded(encodedFrames);
    }

    /** The connection handler behind has nothing left to do: it would count the closed connection as HTTP. */
    @Override
    void inactive(ChannelHandlerContext ctx) {
        metrics.connectionClosed(ServerMetrics.ConnectionKind.WEBSOCKET);
    }

    /** Immutable, so one of each is shared by every decoder (not one per connection). */
    private static final WebSocketDecoderConfig FROM_CLIENT = newDecoderConfig(true);
    private static final WebSocketDecoderConfig FROM_ORIGIN = newDecoderConfig(false);

    static WebSocketDecoderConfig frameDecoderConfig(boolean fromClient) {
        return fromClient ? FROM_CLIENT : FROM_ORIGIN;
    }

    private static WebSocketDecoderConfig newDecoderConfig(boolean fromClient) {
        return WebSocketDecoderConfig.newBuilder().expectMaskedFrames(fromClient).allowMaskMismatch(false)
                .allowExtensions(false).maxFramePayloadLength(MAX_FRAME).closeOnProtocolViolation(true).build();
    }

    /** Netty's handshaker, opened up for a pipeline it does not assemble itself. */
    private static final class Handshaker extends WebSocketServerHandshaker13 {
        Handshaker(String uri, String subprotocol) {
            // the subprotocol the other side chose is the only one to select (null: none)
            super(uri, subprotocol, frameDecoderConfig(true));
        }

        FullHttpResponse response(FullHttpRequest request, HttpHeaders headers) {
            return newHandshakeResponse(request, headers);
        }

        WebSocketFrameDecoder decoder() {
            return newWebsocketDecoder();
        }

        WebSocketFrameEncoder encoder() {
            return newWebSocketEncoder();
        }
    }
}
