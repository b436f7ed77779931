package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A WebSocket origin for tests (Netty's server handshaker): records each handshake request, answers it as the test
 * says ({@link Answer}), and hands each accepted connection to the test as a {@link WsPeer} (nothing echoed,
 * nothing answered but close).
 */
final class WsTestOrigin implements AutoCloseable {
    /** How to answer a handshake. */
    sealed interface Answer permits Accept, Refuse, WrongKey, Greet, Stall {
    }

    /** No answer at all; the connection is handed to the test as a peer (to see it close). */
    record Stall() implements Answer {
    }

    /** A 101 and a text frame in one write (one TCP segment): the frame arrives with the handshake answer. */
    record Greet(String text) implements Answer {
    }

    /** 101 with these extra headers and this subprotocol (null: none). */
    record Accept(HttpHeaders headers, String subprotocol) implements Answer {
    }

    record Refuse(int status, String reason, String body, HttpHeaders headers) implements Answer {
    }

    /** A 101 whose Sec-WebSocket-Accept is wrong. */
    record WrongKey() implements Answer {
    }

    static Accept accept() {
        return new Accept(new DefaultHttpHeaders(), null);
    }

    static Accept acceptWith(String name, String value) {
        return new Accept(new DefaultHttpHeaders().add(name, value), null);
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final BlockingQueue<HttpHeaders> handshakes = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> uris = new LinkedBlockingQueue<>();
    private final BlockingQueue<WsPeer> connections = new LinkedBlockingQueue<>();
    private volatile Function<FullHttpRequest, Answer> answer = r -> accept();

    WsTestOrigin() throws InterruptedException {
        this(null);
    }

    /** @param tls a server TLS context: the origin speaks {@code wss://}; null: plain {@code ws://} */
    WsTestOrigin(io.netty.handler.ssl.SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new HandshakeHandler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    WsTestOrigin answering(Function<FullHttpRequest, Answer> answer) {
        this.answer = answer;
        return this;
    }

    WsTestOrigin answering(Answer answer) {
        return answering(r -> answer);
    }

    /** Forgets what earlier tests left (handshakes and connections not taken). */
    void reset() {
        handshakes.clear();
        uris.clear();
        connections.clear();
        answer = r -> accept();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The headers of the next handshake request the origin got. */
    HttpHeaders nextHandshake() throws InterruptedException {
        HttpHeaders h = handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(h).as("a handshake at the origin within 10 s").isNotNull();
        return h;
    }

    String nextUri() throws InterruptedException {
        return uris.poll(10, TimeUnit.SECONDS);
    }

    /** The next accepted connection. */
    WsPeer nextConnection() throws InterruptedException {
        WsPeer p = connections.poll(10, TimeUnit.SECONDS);
        assertThat(p).as("a WebSocket at the origin within 10 s").isNotNull();
        return p;
    }

    private final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                // e.g. the proxy's close frame reaching a Greet connection, whose HTTP codec is still in place: not
                // a handshake, and it must not queue a connection that a later test would take for its own
                ctx.close();
                return;
            }
            Answer a = answer.apply(req);
            WsPeer peer = new WsPeer();
            peer.channel = ctx.channel();
            if (a instanceof Accept || a instanceof Stall) {
                // queued before the handshake is: a test that saw the handshake finds its connection queued too
                connections.add(peer);
            }
            uris.add(req.uri());
            handshakes.add(new DefaultHttpHeaders().add(req.headers()));
            if (a instanceof Refuse r) {
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        new HttpResponseStatus(r.status(), r.reason()),
                        Unpooled.copiedBuffer(r.body(), StandardCharsets.UTF_8));
                res.headers().add(r.headers());
                res.headers().setInt("Content-Length", res.content().readableBytes());
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (a instanceof WrongKey) {
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SWITCHING_PROTOCOLS);
                res.headers().set("Upgrade", "websocket").set("Connection", "Upgrade")
                        .set("Sec-WebSocket-Accept", "dGhpcyBpcyBub3QgdGhlIGtleQ==");
                ctx.writeAndFlush(res);
                return;
            }
            if (a instanceof Stall) {
                ctx.channel().closeFuture().addListener(f -> peer.closed.complete(null));
                return;
            }
            if (a instanceof Greet g) {
                String accept = java.util.Base64.getEncoder().encodeToString(sha1(
                        req.headers().get("Sec-WebSocket-Key") + WebSocketServerHandshaker13.WEBSOCKET_13_ACCEPT_GUID));
                byte[] text = g.text().getBytes(StandardCharsets.UTF_8);
                io.netty.buffer.ByteBuf out = Unpooled.buffer();
                out.writeCharSequence("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n",
                        StandardCharsets.US_ASCII);
                out.writeByte(0x81).writeByte(text.length).writeBytes(text);
                ctx.pipeline().firstContext().writeAndFlush(out); // below the HTTP codec
                return;
            }
            Accept acc = (Accept) a;
            WebSocketServerHandshaker13 hs = new WebSocketServerHandshaker13("ws://origin/", acc.subprotocol(),
                    WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(1 << 20).build());
            hs.handshake(ctx.channel(), req, acc.headers(), ctx.newPromise());
            ctx.pipeline().replace(this, "peer", peer);
        }
    }

    private static byte[] sha1(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
