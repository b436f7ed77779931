package org.pushpin.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.pushpin.timer.TimerWheel;

/**
 * Last handler of an origin connection: hands decoded response parts to the exchange that leased the connection.
 * While the connection idles in the pool there is no listener: anything the origin sends then is unexpected and
 * the connection is closed; a close removes it from the pool.
 *
 * <p>Origin inactivity ({@code origin_timeout}, 600 s as 1.36): while a read asked for by the exchange waits for the
 * origin, this connection is on the loop's timer wheel (each write to the origin, a request body still coming,
 * starts the wait over); nothing arriving in time closes it, which the exchange
 * answers with Pushpin's 502 (or a cut, once the response started). A read not asked for — the client is slow and
 * the exchange stopped reading — is not the origin's fault and is not timed.
 */
final class OriginHandler extends ChannelDuplexHandler {
    private final OriginKey key;
    /** Where the current {@code origin_timeout} is read (it can change while the connection lives in the pool). */
    private final OriginConnector connector;
    private OriginListener listener;
    private Inactivity inactivity;
    private ChannelHandlerContext ctx;

    /** The origin's silence: one per connection, made on its first timed read. */
    private final class Inactivity extends TimerWheel.Timer {
        @Override
        protected void onTimeout() {
            if (listener != null) {
                RequestLog.debug("origin " + key.host() + ":" + key.port() + " sent nothing for "
                        + connector.originTimeoutMillis() + " ms: closing", null);
                timedOut = true;
                ctx.close();
            }
        }
    }

    /** The close was ours, for inactivity: the exchange is told so. */
    private boolean timedOut;

    /** @param connector gives the origin inactivity limit, 0 = none */
    OriginHandler(OriginKey key, OriginConnector connector) {
        this.key = key;
        this.connector = connector;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        long timeoutMillis = listener == null ? 0 : connector.originTimeoutMillis();
        if (timeoutMillis > 0) {
            if (inactivity == null) {
                inactivity = new Inactivity();
            }
            if (!inactivity.isScheduled()) {
                TimerWheel.of(ctx.executor()).schedule(inactivity, timeoutMillis);
            }
        }
        ctx.read();
    }

    /** Bytes going to the origin (a request body still coming) are traffic: the origin's wait starts over. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (inactivity != null && inactivity.isScheduled()) {
            TimerWheel wheel = TimerWheel.of(ctx.executor());
            wheel.cancel(inactivity);
            long timeoutMillis = connector.originTimeoutMillis();
            if (timeoutMillis > 0) { // 0: turned off meanwhile (SIGHUP)
                wheel.schedule(inactivity, timeoutMillis);
            }
        }
        ctx.write(msg, promise);
    }

    private void quiet() {
        if (inactivity != null && inactivity.isScheduled()) {
            TimerWheel.of(ctx.executor()).cancel(inactivity);
        }
    }

    boolean timedOut() {
        return timedOut;
    }

    OriginKey key() {
        return key;
    }

    void attach(OriginListener listener) {
        this.listener = listener;
    }

    void detach() {
        this.listener = null;
        quiet();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        quiet();
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
        quiet();
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
