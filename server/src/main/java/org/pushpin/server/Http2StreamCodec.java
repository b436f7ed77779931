package org.pushpin.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Netty's HTTP/2-to-HTTP/1 codec of a stream, with two additions so that the HTTP/1 proxy handlers work unchanged
 * (one handler rather than two: a handler context per held stream is 64 bytes):
 * <ul>
 * <li>Requests lose the {@code x-http2-*} headers the codec adds (stream id, {@code :scheme}, {@code :path}); they
 * are no part of what the client sent and must not reach the origin. {@code :authority} arrives as {@code Host}.
 * <li>Bare bytes (what a compacted stream hold writes, see {@code proxy.HeldConnection#framesWrites}) go out as
 * DATA frames, with no copy. An empty buffer is how the HTTP/1 side ends a response whose end is the connection's
 * close (it is written just before closing): here it ends the stream with END_STREAM instead, so the close that
 * follows resets nothing.
 * </ul>
 * Connection-specific response headers ({@code Connection}, {@code Transfer-Encoding}, {@code Keep-Alive}, ...) are
 * dropped by Netty's conversion (RFC 9113 §8.2.2). Stateless: one instance serves every stream of every connection.
 */
@ChannelHandler.Sharable
final class Http2StreamCodec extends Http2StreamFrameToHttpObjectCodec {
    private static final String EXTENSION_PREFIX = "x-http2-";

    Http2StreamCodec() {
        super(true, true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
        int from = out.size();
        super.decode(ctx, frame, out);
        for (int i = from; i < out.size(); i++) {
            if (out.get(i) instanceof HttpRequest request) {
                removeExtensionHeaders(request.headers());
            }
        }
    }

    private static void removeExtensionHeaders(HttpHeaders headers) {
        List<String> names = null;
        for (String name : headers.names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX)) {
                if (names == null) {
                    names = new ArrayList<>(3);
                }
                names.add(name);
            }
        }
        if (names != null) {
            names.forEach(headers::remove);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf bytes) {
            if (bytes.isReadable()) {
                ctx.write(new DefaultHttp2DataFrame(bytes, false), promise);
            } else if (localSideOpen(ctx)) {
                ctx.write(new DefaultHttp2DataFrame(bytes, true), promise);
            } else {
                bytes.release();
                promise.trySuccess();
            }
            return;
        }
        super.write(ctx, msg, promise);
    }

    private static boolean localSideOpen(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof Http2StreamChannel ch && ch.stream().state().localSideOpen();
    }
}
