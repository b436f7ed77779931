package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.pushpin.routing.Target;

/**
 * One POST of WebSocket-over-HTTP on the origin connection machinery: a connection leased from the loop's
 * {@link OriginPool} (or opened by the {@link OriginConnector}), the request written whole, the answer gathered up
 * to {@link WsOverHttpResponse#BODY_MAX} and the connection given back. A pooled connection the origin closed just
 * as it was reused is replaced once by a fresh one. Exists only while its request is outstanding.
 */
final class WsOverHttpPost implements OriginListener {
    /** What the connection state machine hears of its POST, on the client's loop. */
    interface Listener {
        void onAnswer(WsOverHttpResponse response);

        /**
         * The POST failed. {@code retryable}: the origin was not reached, or not all of the request went out (so it
         * cannot have acted on it); {@code connectFailed}: no connection could be made at all.
         */
        void onFailed(String why, boolean retryable, boolean connectFailed);
    }

    private final ProxyContext context;
    private final EventLoop loop;
    private final OriginKey key;
    private final FullHttpRequest request;
    private final Listener listener;
    private Channel channel;
    private boolean reused;
    private boolean sent;
    private HttpResponse head;
    private CompositeByteBuf body;
    private boolean done;

    private WsOverHttpPost(ProxyContext context, EventLoop loop, OriginKey key, FullHttpRequest request,
                           Listener listener) {
        this.context = context;
        this.loop = loop;
        this.key = key;
        this.request = request;
        this.listener = listener;
    }

    /** Sends {@code request} (ownership passes) to {@code target}; the answer goes to {@code listener}. */
    static WsOverHttpPost send(ProxyContext context, EventLoop loop, Target target, FullHttpRequest request,
                               Listener listener) {
        String host = request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
        String requestHost = host == null ? null : OriginPolicy.hostOf(host);
        OriginKey key = OriginKey.of(target, requestHost);
        WsOverHttpPost post = new WsOverHttpPost(context, loop, key, request, listener);
        if (target.untrusted()) {
            // checked on every POST, never from the pool (see OriginPolicy); told after send returns
            java.net.InetSocketAddress address = OriginPolicy.address(target, requestHost);
            if (address == null) {
                loop.execute(() -> post.fail(OriginPolicy.BLOCKED_REASON, false, false));
            } else {
                post.connect(address);
            }
            return post;
        }
        Channel pooled = OriginPool.current().lease(key);
        if (pooled != null) {
            post.attach(pooled, true);
        } else {
            post.connect(null);
        }
        return post;
    }

    private void connect(java.net.InetSocketAddress address) {
        context.connector().connect(loop, key, address).addListener((ChannelFuture f) -> {
            if (done) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
            } else if (f.isSuccess()) {
                attach(f.channel(), false);
            } else {
                fail("Unable to connect to " + key.host() + ":" + key.port(), true, true);
            }
        });
    }

    private void attach(Channel ch, boolean reused) {
        channel = ch;
        this.reused = reused;
        ch.pipeline().get(OriginHandler.class).attach(this);
        ch.writeAndFlush(request.retainedDuplicate()).addListener(f -> {
            if (f.isSuccess()) {
                sent = true;
            } else if (!done && channel == ch) {
                RequestLog.debug("over_http: write to origin failed", f.cause());
                ch.close();
            }
        });
        ch.read();
    }

    /** Gives up the POST: its connection is closed (the origin never sees a complete exchange on it). */
    void cancel() {
        if (done) {
            return;
        }
        done = true;
        release(false);
    }

    // ---- from the origin --------------------------------------------------------------------------------------

    @Override
    public void onOriginResponse(HttpResponse response) {
        if (done) {
            return;
        }
        if (response.decoderResult().isFailure()) {
            fail("bad response from origin: " + response.decoderResult().cause().getMessage(), false, false);
            return;
        }
        int code = response.status().code();
        if (code >= 200) {
            head = response;
            body = channel.alloc().compositeBuffer();
        }
        channel.read();
    }

    @Override
    public void onOriginContent(HttpContent content) {
        if (done || head == null) {
            // after the end, or the body of an interim (1xx) response
            content.release();
            if (!done) {
                channel.read();
            }
            return;
        }
        ByteBuf data = content.content();
        if (body.readableBytes() + data.readableBytes() > WsOverHttpResponse.BODY_MAX) {
            content.release();
            fail("origin response body over " + WsOverHttpResponse.BODY_MAX + " bytes", false, false);
            return;
        }
        if (data.isReadable()) {
            body.addComponent(true, data.retain());
        }
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (!last) {
            channel.read();
            return;
        }
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        done = true;
        release(HttpUtil.isKeepAlive(head));
        listener.onAnswer(new WsOverHttpResponse(head, bytes));
    }

    @Override
    public void onOriginWritabilityChanged(boolean writable) {
        // the request is written whole and is small (a batch is bounded): nothing to pace
    }

    @Override
    public void onOriginClosed() {
        if (done) {
            return;
        }
        if (reused && head == null) {
            // A pooled connection the origin closed just as we reused it: once more on a fresh one.
            channel.pipeline().get(OriginHandler.class).detach();
            channel = null;
            reused = false;
            connect(null);
            return;
        }
        channel = null;
        fail("origin closed the connection before the response was complete", !sent, false);
    }

    @Override
    public void onOriginError(Throwable cause) {
        RequestLog.debug("over_http: origin error", cause);
    }

    private void fail(String why, boolean retryable, boolean connectFailed) {
        done = true;
        release(false);
        listener.onFailed(why, retryable, connectFailed);
    }

    /** Lets go of the connection (to the pool when {@code reusable}), the request and the gathered body. */
    private void release(boolean reusable) {
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.pipeline().get(OriginHandler.class).detach();
            if (reusable && ch.isActive()) {
                OriginPool.current().release(key, ch);
            } else {
                ch.close();
            }
        }
        ReferenceCountUtil.safeRelease(request);
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
