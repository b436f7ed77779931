package org.pushpin.hold;

import io.netty.channel.EventLoop;
import java.util.Objects;
import java.util.function.Function;
import org.pushpin.hub.Hub;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.WsConnection;
import org.pushpin.proxy.WsSession;
import org.pushpin.proxy.WsSessions;
import org.pushpin.timer.TimerWheel;

/**
 * The holds' side of the WebSocket seam: each proxied WebSocket with the GRIP extension (or {@code sub=} channels)
 * gets a {@link WsGripSession} subscribed through the {@link Hub}. What every session of the server shares lives
 * here, one reference per session.
 */
public final class WsGripSessions implements WsSessions {
    final Hub hub;
    final ServerMetrics metrics;
    /**
     * {@code connection_subscription_max}: channels one connection may have, implicit ones included. Volatile: it
     * may change on SIGHUP, and is read only when a connection subscribes.
     */
    volatile int subscriptionMax;
    private final Function<EventLoop, TimerWheel> wheels;
    /** Resumed subscriptions ({@code last-id}), or null while history is off (docs/history.md). */
    final WsResumes resumes;

    /**
     * @param hub             built with {@link HoldHandoff#deliveryKinds()} (it encodes {@code ws-message} items)
     * @param subscriptionMax {@code connection_subscription_max}
     */
    public WsGripSessions(Hub hub, ServerMetrics metrics, int subscriptionMax) {
        this(hub, metrics, subscriptionMax, TimerWheel::of);
    }

    /** @param wheels the timer wheel of a loop (tests give one with a clock they drive) */
    WsGripSessions(Hub hub, ServerMetrics metrics, int subscriptionMax, Function<EventLoop, TimerWheel> wheels) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.subscriptionMax = subscriptionMax;
        this.wheels = Objects.requireNonNull(wheels, "wheels");
        this.resumes = hub.history() != null ? new WsResumes() : null;
    }

    /** A new {@code connection_subscription_max} (SIGHUP), for subscriptions from now on. */
    public void subscriptionMax(int max) {
        subscriptionMax = max;
    }

    /** The wheel of {@code loop}; call it on {@code loop}. */
    TimerWheel wheel(EventLoop loop) {
        return wheels.apply(loop);
    }

    @Override
    public WsSession open(WsConnection connection) {
        WsGripSession session = new WsGripSession(connection, this);
        session.start();
        return session;
    }
}
