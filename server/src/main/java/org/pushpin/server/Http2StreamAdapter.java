package org.pushpin.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sits behind Netty's HTTP/2-to-HTTP/1 codec on each stream, so that the HTTP/1 proxy handlers work unchanged:
 * <ul>
 * <li>Requests lose the {@code x-http2-*} headers the codec adds (stream id, {@code :scheme}, {@code :path}); they
 * are no part of what the client sent and must not reach the origin. {@code :authority} arrives as {@code Host}.
 * <li>Bare bytes (what a compacted stream hold writes, see {@code proxy.HeldConnection}) go out as DATA frames, with
 * no copy. An empty buffer is how the HTTP/1 side ends a response whose end is the connection's close (it is
 * written just before closing): here it ends the stream with END_STREAM instead, so the close that follows
 * resets nothing.
 * </ul>
 * Stateless: one instance serves every stream of every connection.
 */
@ChannelHandler.Sharable
final class Http2StreamAdapter extends ChannelDuplexHandler {
    private static final String EXTENSION_PREFIX = "x-http2-";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            removeExtensionHeaders(request.headers());
        }
        ctx.fireChannelRead(msg);
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
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
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
        ctx.write(msg, promise);
    }

    static boolean localSideOpen(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof Http2StreamChannel ch && ch.stream().state().localSideOpen();
    }
}
