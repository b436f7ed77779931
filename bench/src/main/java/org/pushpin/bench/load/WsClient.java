package org.pushpin.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One held WebSocket, opened with Netty's client handshaker and frame codecs. It passes two marks on its way to
 * held: the origin's {@code m:ready} (sent right after its {@code c:} subscribe, so the origin's part is done; this
 * ends the connect "in flight"), then the first published {@value #PROBE} message ({@link SubscriptionProbe}): a
 * server may act on the subscribe later than it relays the origin's next message (the reference's handler gets the
 * subscribe on another path than the message), so only a publish that arrived proves the subscription is in force.
 * Stamped messages ({@code @digits}) go to the {@link StampScanner}; any other text is ignored.
 */
final class WsClient extends SimpleChannelInboundHandler<WebSocketFrame> implements Connection {
    /** What the origin sends (prefixed {@code m:}) once it has subscribed this connection. */
    static final String READY = "ready";
    /** The content of a published probe. */
    static final String PROBE = "probe";

    private final int index;
    private final URI uri;
    private final ConnectionHolder holder;
    private final StampScanner scanner;
    private Channel channel;
    private volatile boolean ready;     // the origin's ready arrived
    private volatile boolean confirmed; // a published probe arrived
    private volatile boolean finished;  // ready or failed was reported
    private volatile boolean closing;   // closed by us: its end is no drop

    WsClient(int index, URI uri, ConnectionHolder holder, StampScanner.Sink sink) {
        this.index = index;
        this.uri = uri;
        this.holder = holder;
        this.scanner = new StampScanner(sink);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public ChannelHandler handler() {
        WsClient self = this;
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .handshakeTimeoutMillis(ConnectionHolder.HOLD_TIMEOUT_S * 1000)
                        .dropPongFrames(true)
                        .withUTF8Validator(false) // a handler per connection that measures nothing
                        .build();
                // the aggregator takes the 101 whole and is removed with the HTTP codec after the handshake
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(config), self);
            }
        };
    }

    @Override
    public void bind(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    /** The origin said it subscribed this connection. */
    boolean isReady() {
        return ready && channel.isActive();
    }

    boolean isConfirmed() {
        return confirmed;
    }

    @Override
    public boolean isHeld() {
        return confirmed && channel.isActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        ByteBuf text = frame.content();
        if (text.isReadable() && text.getByte(text.readerIndex()) == StampScanner.MARK) {
            scanner.scan(text);
            scanner.process((byte) '\n'); // the message ends the stamp
        } else if (!confirmed && equals(text, PROBE)) {
            confirmed = true;
        } else if (!ready && equals(text, READY)) {
            ready = true;
            if (!finished) {
                finished = true;
                holder.held(this);
            }
        }
    }

    private static boolean equals(ByteBuf text, String s) {
        return text.readableBytes() == s.length() && text.toString(StandardCharsets.US_ASCII).equals(s);
    }

    @Override
    public void fail(String why) {
        if (!finished) {
            finished = true;
            holder.failed(this, why);
            channel.close();
        }
    }

    /** Ready but no probe came: counted as failed rather than held, and closed. */
    void unconfirmed() {
        closing = true;
        holder.unconfirmed(this);
        channel.close();
    }

    @Override
    public ChannelFuture close() {
        closing = true;
        return channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a refused handshake (WebSocketClientHandshakeException: "Invalid handshake response getStatus: 502 ...")
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        fail(why.length() > 60 ? why.substring(0, 60) : why);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ready) {
            if (!closing) {
                holder.dropped(this);
            }
        } else if (!finished) {
            finished = true;
            holder.failed(this, "closed before ready");
        }
        super.channelInactive(ctx);
    }
}
