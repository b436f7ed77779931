package org.pushpin.server;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.function.IntSupplier;
import org.pushpin.timer.TimerWheel;

/**
 * {@code client_request_timeout} for an HTTP/2 connection: one with no open stream for that long is closed (GOAWAY,
 * then close), as an idle HTTP/1 keep-alive connection is. A held stream is open, so a connection that carries one
 * is never idle. Costs one listener and one timer entry per connection; nothing per stream.
 */
final class Http2IdleClose extends Http2ConnectionAdapter {
    private final Channel channel;
    private final Http2Connection connection;
    private final IntSupplier timeoutSeconds;
    private final Idle idle = new Idle();
    private boolean scheduled;

    private final class Idle extends TimerWheel.Timer {
        @Override
        protected void onTimeout() {
            scheduled = false;
            if (connection.numActiveStreams() == 0 && channel.isActive()) {
                channel.close(); // Http2ConnectionHandler sends GOAWAY first
            }
        }
    }

    private Http2IdleClose(Channel channel, Http2Connection connection, IntSupplier timeoutSeconds) {
        this.channel = channel;
        this.connection = connection;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Watches {@code connection} of {@code channel} (on its loop) from now on. */
    static void watch(Channel channel, Http2Connection connection, IntSupplier timeoutSeconds) {
        Http2IdleClose w = new Http2IdleClose(channel, connection, timeoutSeconds);
        connection.addListener(w);
        channel.closeFuture().addListener(f -> w.cancel());
        w.schedule();
    }

    private void schedule() {
        int seconds = timeoutSeconds.getAsInt();
        if (seconds > 0 && !scheduled) {
            scheduled = true;
            TimerWheel.of(channel.eventLoop()).schedule(idle, seconds * 1000L);
        }
    }

    private void cancel() {
        if (scheduled) {
            scheduled = false;
            TimerWheel.of(channel.eventLoop()).cancel(idle);
        }
    }

    @Override
    public void onStreamActive(Http2Stream stream) {
        cancel();
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
        if (connection.numActiveStreams() == 0) {
            schedule();
        }
    }
}
