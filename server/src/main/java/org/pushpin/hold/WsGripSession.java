package org.pushpin.hold;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.pushpin.hub.DeliveryOutcome;
import org.pushpin.hub.Published;
import org.pushpin.hub.Subscriber;
import org.pushpin.message.Action;
import org.pushpin.message.PublishItem;
import org.pushpin.message.WsMessageFormat;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.WsConnection;
import org.pushpin.proxy.WsSession;
import org.pushpin.timer.TimerWheel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GRIP session of one proxied WebSocket (docs/websocket.md §2): the origin's control messages, its channels
 * subscribed through the hub on the connection's loop, and the published {@code ws-message} items delivered to the
 * client. The session is its own keep-alive timer entry in the loop's wheel (scheduled only while a keep-alive is
 * set); a pending {@code send-delayed} costs one more small timer object until it is sent. An idle session holds
 * this object and its channel names (shared with the hub) and nothing else.
 */
final class WsGripSession extends TimerWheel.Timer implements WsSession, Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(WsGripSession.class);
    private static final String[] NONE = new String[0];
    /** Keep-alive timeout when the origin gives none (or ≤ 0), seconds: Pushpin's. */
    static final int DEFAULT_KEEP_ALIVE_SECONDS = 55;
    /** send-delayed timeout when the origin gives none, seconds. */
    static final int DEFAULT_DELAY_SECONDS = 1;

    private final WsConnection connection;
    private final WsGripSessions shared;
    private final EventLoop loop;
    private final String prefix;
    /** Full channel names (route prefix included), the implicit ones first. */
    private String[] channels = NONE;
    /** Filters of each channel, same order; null while no channel has any. */
    private List<String>[] filters;
    private int implicitCount;
    private String sessionId;
    /** The keep-alive message, or null when there is none. */
    private WsMessageFormat.Type keepAliveType;
    private byte[] keepAliveContent;
    private long keepAliveMillis;
    private boolean keepAliveInterval;
    private Delayed delayed;
    private boolean closed;

    WsGripSession(WsConnection connection, WsGripSessions shared) {
        this.connection = connection;
        this.shared = shared;
        this.loop = connection.loop();
        String p = connection.channelPrefix();
        this.prefix = p == null ? "" : p;
    }

    /** Makes the implicit ({@code sub=}) subscriptions; on the connection's loop. */
    void start() {
        shared.metrics.holdStarted(ServerMetrics.HoldKind.WEBSOCKET);
        for (String c : connection.implicitChannels()) {
            if (!c.isEmpty() && subscribe(c, List.of(), null)) {
                implicitCount = channels.length;
            }
        }
    }

    /** The session id the origin set ({@code session}), or null. */
    String sessionId() {
        return sessionId;
    }

    /** The full names of the channels subscribed, implicit ones first (for tests). */
    List<String> channels() {
        return List.of(channels);
    }

    @Override
    public void onControl(String json) {
        if (closed) {
            return;
        }
        WsControlMessage m = WsControlMessage.parse(json);
        if (m == null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("ignoring control message ({}): {}", WsControlMessage.whyInvalid(json), json);
            }
            return;
        }
        switch (m.type()) {
            case SUBSCRIBE -> subscribe(m.channel(), m.filters(), m.lastId());
            case UNSUBSCRIBE -> unsubscribe(m.channel());
            case DETACH -> connection.detach();
            case SESSION -> sessionId = m.name();
            case SET_META -> setMeta(m.name(), m.value());
            case KEEP_ALIVE -> keepAlive(m);
            case SEND_DELAYED -> sendDelayed(m);
            case FLUSH_DELAYED -> flushDelayed();
            default -> LOG.debug("ignoring control message of type {}", m.type());
        }
    }

    @Override
    public void onOriginMessage() {
        sent();
    }

    @Override
    public void closed() {
        if (closed) {
            return;
        }
        closed = true;
        TimerWheel wheel = shared.wheel(loop);
        wheel.cancel(this);
        if (delayed != null) {
            wheel.cancel(delayed);
            delayed = null;
        }
        for (String c : channels) {
            shared.hub.unsubscribe(loop, c, subscriberOf(c));
        }
        channels = NONE;
        filters = null;
        shared.metrics.holdEnded(ServerMetrics.HoldKind.WEBSOCKET);
    }

    // ---- subscriptions ----

    /**
     * Subscribes to {@code channel} (as the origin named it); false when it was not added. {@code lastId}: resume
     * after that item from the history (when on; ignored for a channel already subscribed), or null.
     */
    private boolean subscribe(String channel, List<String> channelFilters, String lastId) {
        String full = prefix + channel;
        int at = indexOf(full);
        if (at >= 0) {
            setFilters(at, channelFilters); // subscribed already: the filters are the latest ones
            return false;
        }
        if (channels.length >= shared.subscriptionMax) {
            // at the route's log_level (debug unless set), as Pushpin 1.41 logs "too many subscriptions"
            org.pushpin.routing.Route route = connection.route();
            LOG.atLevel(route == null ? org.slf4j.event.Level.DEBUG : route.messageLevel())
                    .log("wssession: subscription to {} ignored: connection_subscription_max ({}) reached route={}",
                            full, shared.subscriptionMax, route == null ? "" : route.routeId());
            return false;
        }
        org.pushpin.hub.ResumeGate gate = lastId == null || shared.resumes == null ? null
                : shared.resumes.open(this, full);
        String name = shared.hub.subscribe(loop, full, gate == null ? this : gate);
        if (gate != null) {
            // once the broker has the subscription (at once in-process): with a history shared through Redis,
            // every item the subscription will not bring is then in the history
            String[] one = {name};
            shared.hub.whenInForce(loop, one, () -> shared.hub.history().replayAfter(loop, one, lastId, gate::replay));
        }
        channels = Arrays.copyOf(channels, channels.length + 1);
        channels[channels.length - 1] = name;
        if (filters != null) {
            filters = Arrays.copyOf(filters, channels.length);
        }
        setFilters(channels.length - 1, channelFilters);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void setFilters(int at, List<String> channelFilters) {
        if (channelFilters.isEmpty()) {
            if (filters != null) {
                filters[at] = null;
            }
            return;
        }
        if (filters == null) {
            filters = new List[channels.length];
        }
        filters[at] = channelFilters;
    }

    private void unsubscribe(String channel) {
        String full = prefix + channel;
        int at = indexOf(full);
        if (at < 0) {
            return;
        }
        if (at < implicitCount) {
            LOG.debug("unsubscribe from {} ignored: an implicit (sub=) subscription", full);
            return;
        }
        shared.hub.unsubscribe(loop, channels[at], subscriberOf(channels[at]));
        channels = remove(channels, at, new String[channels.length - 1]);
        if (filters != null) {
            @SuppressWarnings("unchecked")
            List<String>[] less = remove(filters, at, new List[channels.length]);
            filters = less;
        }
    }

    /** What the hub holds for this session on {@code channel}: itself, or the gate of a resumed subscription. */
    private Subscriber subscriberOf(String channel) {
        return shared.resumes == null ? this : shared.resumes.close(this, channel);
    }

    private static <T> T[] remove(T[] from, int at, T[] into) {
        System.arraycopy(from, 0, into, 0, at);
        System.arraycopy(from, at + 1, into, at, from.length - at - 1);
        return into;
    }

    private int indexOf(String full) {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(full)) {
                return i;
            }
        }
        return -1;
    }

    private List<String> filtersOf(String channel) {
        if (filters != null) {
            int at = indexOf(channel);
            if (at >= 0 && filters[at] != null) {
                return filters[at];
            }
        }
        return List.of();
    }

    private void setMeta(String name, String value) {
        Map<String, String> meta = connection.meta();
        if (value == null) {
            meta.remove(name);
        } else {
            meta.put(name, value);
        }
    }

    // ---- published items ----

    @Override
    public Mode mode() {
        return Mode.WS;
    }

    @Override
    public String statsRoute() {
        return connection.statsRoute();
    }

    /** Stopping: 1012 "service restart" (RFC 6455 registry), so the client reconnects. */
    @Override
    public void drain() {
        connection.close(1012, "service restart");
    }

    @Override
    public void deliver(String channel, Published published) {
        offer(channel, published);
    }

    @Override
    public DeliveryOutcome offer(String channel, Published published) {
        if (closed) {
            return DeliveryOutcome.CLOSED;
        }
        PublishItem item = published.item();
        WsMessageFormat f = item.wsMessage();
        if (f == null) {
            return DeliveryOutcome.FILTERED;
        }
        List<String> channelFilters = filtersOf(channel);
        if (!channelFilters.isEmpty() && !Filters.accepts(channelFilters, connection.meta(), channels, item)) {
            return DeliveryOutcome.FILTERED;
        }
        if (f.action() == Action.CLOSE) {
            connection.close(f.closeCode(), f.closeReason());
            return DeliveryOutcome.DELIVERED;
        }
        if (f.action() == Action.REFRESH) {
            connection.refresh(); // over HTTP: a request now; passthrough: nothing
            return DeliveryOutcome.DELIVERED;
        }
        if (f.action() != Action.SEND) {
            return DeliveryOutcome.FILTERED; // hint: nothing for a WebSocket
        }
        if (!Filters.contentFiltersMatch(channelFilters, f)) {
            LOG.debug("item on {} dropped: its content-filters {} are not the subscription's", channel,
                    f.contentFilters());
            return DeliveryOutcome.FILTER_ERROR;
        }
        if (!connection.clientActive()) {
            return DeliveryOutcome.CLOSED;
        }
        if (channelFilters.contains("build-id") || channelFilters.contains("var-subst")) {
            byte[] content = filtered(channel, item, f.content(), channelFilters);
            if (content == null) {
                return DeliveryOutcome.FILTER_ERROR;
            }
            connection.sendToClient(WsMessageDelivery.frame(f.type(), content));
        } else {
            ByteBuf frame = published.encoded(WsMessageDelivery.INSTANCE);
            if (frame == null) {
                return DeliveryOutcome.FILTERED;
            }
            connection.sendSharedToClient(frame);
        }
        if (!connection.clientActive()) {
            return DeliveryOutcome.SLOW_CLIENT; // open just before: the send cut it for having too much waiting
        }
        sent();
        return DeliveryOutcome.DELIVERED;
    }

    /** The content as the content filters render it for this connection, or null (dropped) on a filter error. */
    private byte[] filtered(String channel, PublishItem item, byte[] content, List<String> channelFilters) {
        Map<String, String> meta = connection.meta();
        try {
            if (channelFilters.contains("build-id")) {
                List<String> bare = new ArrayList<>(channels.length);
                for (String c : channels) {
                    bare.add(c.substring(prefix.length()));
                }
                content = BuildId.render(content, meta, BuildId.defaultId(meta, bare,
                        Arrays.asList(new String[bare.size()]), channel.substring(prefix.length()), item.id()));
            }
            if (channelFilters.contains("var-subst")) {
                content = Filters.varSubst(content, meta);
            }
            return content;
        } catch (IllegalArgumentException | BuildId.FilterException e) {
            LOG.debug("item on {} dropped: filter error: {}", channel, e.getMessage());
            return null;
        }
    }

    // ---- keep-alive and delayed messages ----

    private void keepAlive(WsControlMessage m) {
        TimerWheel wheel = shared.wheel(loop);
        if (m.content() == null) {
            keepAliveType = null;
            keepAliveContent = null;
            wheel.cancel(this);
            return;
        }
        keepAliveType = type(m.frameType());
        keepAliveContent = m.content();
        keepAliveMillis = (m.timeout() > 0 ? m.timeout() : DEFAULT_KEEP_ALIVE_SECONDS) * 1000L;
        keepAliveInterval = m.interval();
        scheduleKeepAlive();
    }

    private void scheduleKeepAlive() {
        // Pushpin fires up to a second early, so that many connections do not ping in lockstep.
        long jitter = ThreadLocalRandom.current().nextLong(Math.min(1000, keepAliveMillis));
        shared.wheel(loop).schedule(this, Math.max(1, keepAliveMillis - jitter));
    }

    /** Something went to the client: an idle-mode keep-alive waits again. */
    private void sent() {
        if (keepAliveType != null && !keepAliveInterval && !closed) {
            scheduleKeepAlive();
        }
    }

    /** The keep-alive is due. */
    @Override
    protected void onTimeout() {
        if (closed || keepAliveType == null) {
            return;
        }
        connection.sendToClient(WsMessageDelivery.frame(keepAliveType, keepAliveContent));
        scheduleKeepAlive();
    }

    private void sendDelayed(WsControlMessage m) {
        flushDelayed();
        if (m.content() == null) {
            LOG.debug("send-delayed without content ignored");
            return;
        }
        delayed = new Delayed(type(m.frameType()), m.content());
        // 0 or none: the default (1.36 sends a "timeout": 0 message after a second too).
        long seconds = m.timeout() <= 0 ? DEFAULT_DELAY_SECONDS : m.timeout();
        shared.wheel(loop).schedule(delayed, seconds * 1000L);
    }

    private void flushDelayed() {
        Delayed d = delayed;
        if (d != null) {
            shared.wheel(loop).cancel(d);
            d.send();
        }
    }

    private static WsMessageFormat.Type type(WsControlMessage.FrameType t) {
        return switch (t) {
            case TEXT -> WsMessageFormat.Type.TEXT;
            case BINARY -> WsMessageFormat.Type.BINARY;
            case PING -> WsMessageFormat.Type.PING;
            case PONG -> WsMessageFormat.Type.PONG;
        };
    }

    /** The pending {@code send-delayed} message: exists only while one waits. */
    private final class Delayed extends TimerWheel.Timer {
        final WsMessageFormat.Type type;
        final byte[] content;

        Delayed(WsMessageFormat.Type type, byte[] content) {
            this.type = type;
            this.content = content;
        }

        void send() {
            if (delayed == this) {
                delayed = null;
            }
            if (!closed) {
                connection.sendToClient(WsMessageDelivery.frame(type, content));
                sent();
            }
        }

        @Override
        protected void onTimeout() {
            send();
        }
    }
}
