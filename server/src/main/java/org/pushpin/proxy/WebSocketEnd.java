package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.pushpin.timer.TimerWheel;
import org.pushpin.transport.LoopFlusher;

/**
 * One end of a relayed WebSocket once its handshake is done, behind Netty's frame codecs: hands frames to a
 * {@link ClientWebSocket.Listener}, writes frames, reads only while asked to, and runs the close handshake (a close
 * frame sent, then the channel closed once the peer answers, or after {@link #CLOSE_TIMEOUT_MILLIS} on the loop's
 * {@link TimerWheel}; the timer object exists only while closing). It answers nothing by itself: pings are handed
 * on, fragments pass as frames.
 */
abstract class WebSocketEnd extends ChannelInboundHandlerAdapter implements LoopFlusher.Flushable {
    /** How long a close frame waits for its answer before the connection is simply closed. */
    static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final String side;
    ChannelHandlerContext ctx;
    ClientWebSocket.Listener listener;
    private boolean reading;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean gone;
    /** Encoded frames were written and the loop's flusher will flush them at the end of this round. */
    private boolean flushQueued;
    private CloseTimer closeTimer;

    /** @param side who the peer is, for the log ({@code client}, {@code origin}) */
    WebSocketEnd(String side) {
        this.side = side;
    }

    abstract Channel channel();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Writes and flushes one frame (ownership passes); dropped once a close frame was sent. */
    public void write(WebSocketFrame frame) {
        if (ctx == null || closeSent || !channel().isActive()) {
            frame.release();
            return;
        }
        if (frame instanceof CloseWebSocketFrame close) {
            sendClose(close);
            return;
        }
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    /**
     * Writes bytes that are already encoded frames (ownership passes): published messages. They are flushed once
     * at the end of the loop's round of work ({@link LoopFlusher}), so a burst of publishes costs one socket write.
     */
    public void writeEncoded(ByteBuf encodedFrames) {
        if (ctx == null || closeSent || !channel().isActive()) {
            encodedFrames.release();
            return;
        }
        // The frame encoder only takes WebSocketFrame objects: a ByteBuf passes it untouched.
        ctx.write(encodedFrames, ctx.voidPromise());
        if (!flushQueued) {
            flushQueued = true;
            LoopFlusher.current().add(this, ctx.channel().eventLoop());
        }
    }

    @Override
    public void flushNow() {
        flushQueued = false;
        if (channel().isActive()) {
            ctx.flush();
        }
    }

    /** Sends a close frame ({@code code} -1: none) and closes once the peer answers, or after a timeout. */
    public void close(int code, String reason) {
        if (ctx == null) {
            abort();
            return;
        }
        if (closeSent || !channel().isActive()) {
            return;
        }
        CloseWebSocketFrame frame;
        try {
            frame = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason == null ? "" : reason);
        } catch (IllegalArgumentException e) {
            // a code RFC 6455 does not allow on the wire (e.g. from a publisher): close without one
            frame = new CloseWebSocketFrame();
        }
        sendClose(frame);
    }

    private void sendClose(CloseWebSocketFrame frame) {
        closeSent = true;
        ChannelFuture f = ctx.writeAndFlush(frame);
        if (closeReceived) {
            f.addListener(ChannelFutureListener.CLOSE);
        } else if (closeTimer == null) {
            closeTimer = new CloseTimer();
            TimerWheel.of(ctx.executor()).schedule(closeTimer, CLOSE_TIMEOUT_MILLIS);
        }
    }

    public void abort() {
        channel().close();
    }

    public boolean isWritable() {
        return channel().isWritable();
    }

    public void setReading(boolean reading) {
        boolean was = this.reading;
        this.reading = reading;
        if (reading && !was && ctx != null) {
            ctx.read();
        }
    }

    /** Whether a close frame was sent to the peer. */
    boolean closeSent() {
        return closeSent;
    }

    /** Whether the peer sent a close frame. */
    boolean closeReceived() {
        return closeReceived;
    }

    // ---- pipeline events ---------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame) || closeReceived || gone) {
            // what else may still come: the empty end of the upgrade message; or frames after a close (not allowed)
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame instanceof CloseWebSocketFrame close) {
            closeReceived = true;
            int code = close.statusCode();
            String reason = code < 0 ? "" : close.reasonText();
            close.release();
            listener.onClose(code, reason == null ? "" : reason);
            if (closeSent) {
                ctx.close(); // our close was answered: the handshake is complete
            }
            return;
        }
        listener.onFrame(frame);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading && !closeReceived) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null && !gone) {
            listener.onWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeTimer != null) {
            TimerWheel.of(ctx.executor()).cancel(closeTimer);
            closeTimer = null;
        }
        if (!gone) {
            gone = true;
            listener.onGone();
        }
        inactive(ctx);
    }

    /** What follows the end of the connection in the pipeline (by default: the handlers behind are told). */
    void inactive(ChannelHandlerContext ctx) {
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            // the decoder has answered with the RFC 6455 close code and closes the connection
            RequestLog.debug("WebSocket protocol error from " + side + " " + ctx.channel().remoteAddress(), cause);
        } else {
            RequestLog.debug("WebSocket " + side + " connection error", cause);
        }
        ctx.close();
    }

    private final class CloseTimer extends TimerWheel.Timer {
        @Override
        protected void onTimeout() {
            closeTimer = null;
            channel().close();
        }
    }
}
