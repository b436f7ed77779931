package org.pushpin.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an origin connection: hands decoded response parts to the exchange that leased the connection.
 * While the connection idles in the pool there is no listener: anything the origin sends then is unexpected and
 * the connection is closed; a close removes it from the pool.
 */
final class OriginHandler extends ChannelInboundHandlerAdapter {
    private final OriginKey key;
    private OriginListener listener;

    OriginHandler(OriginKey key) {
        this.key = key;
    }

    OriginKey key() {
        return key;
    }

    void attach(OriginListener listener) {
        this.listener = listener;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OriginListener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            l.onOriginResponse(response);
        }
        if (msg instanceof HttpContent content) {
            l.onOriginContent(content);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        OriginListener l = listener;
        if (l != null) {
            l.onOriginWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        OriginListener l = listener;
        listener = null;
        if (l != null) {
            l.onOriginClosed();
        } else {
            OriginPool.current().remove(key, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OriginListener l = listener;
        if (l != null) {
            l.onOriginError(cause);
        }
        ctx.close();
    }
}
