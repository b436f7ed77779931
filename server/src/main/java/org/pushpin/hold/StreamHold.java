package org.pushpin.hold;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.pushpin.grip.ClientResponse;
import org.pushpin.grip.KeepAlive;
import org.pushpin.hub.DeliveryOutcome;
import org.pushpin.hub.Published;
import org.pushpin.message.Action;
import org.pushpin.message.Format;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.HeldConnection;
import org.pushpin.proxy.RelayGripHandoff;
import org.pushpin.timer.TimerWheel;

/**
 * {@code Grip-Hold: stream}: the response head and initial body go out at once; {@code http-stream} publishes are
 * appended; {@code close} ends the response. The one timer entry is the keep-alive. A client that cannot take
 * what is published (more than {@link #MAX_PENDING_BYTES} waiting) is dropped and counted, so it never delays
 * others or grows memory without bound.
 *
 * <p>Subscribed before answered: the hold subscribes to its channels, waits until the subscriptions are in force
 * (at once with the in-process broker), and only then sends the response head. A publish accepted after the client
 * saw any byte of the response therefore reaches it.
 */
class StreamHold extends Hold {
    /** Bytes a slow stream client may have waiting before it is dropped. */
    static final long MAX_PENDING_BYTES = 1 << 20;

    private final KeepAlive keepAlive;
    /** The next link and its timer, or null: only streams with a link pay for them. */
    private final LinkTimer link;

    /** For build-id: the origin's channel names and prev-ids, in order; null when no channel uses build-id. */
    private final java.util.List<String> buildIdChannels;
    private final java.util.List<String> buildIdPrevIds;
    /** Length of the route's channel prefix (build-id renders with the bare name). */
    private final int prefixLength;
    /** The head went out (deliveries before that were published before the subscriptions were in force). */
    private boolean started;

    StreamHold(GripExchange exchange, HoldContext context) {
        super(exchange, context);
        this.keepAlive = exchange.instruct().keepAlive();
        java.util.List<String> names = null;
        java.util.List<String> prevIds = null;
        for (org.pushpin.grip.Channel c : exchange.instruct().channels()) {
            if (c.filters().contains("build-id")) {
                names = new java.util.ArrayList<>();
                prevIds = new java.util.ArrayList<>();
                for (org.pushpin.grip.Channel d : exchange.instruct().channels()) {
                    names.add(d.name());
                    prevIds.add(d.prevId());
                }
                break;
            }
        }
        this.buildIdChannels = names;
        this.buildIdPrevIds = prevIds;
        this.prefixLength = exchange.route().prefix() == null ? 0 : exchange.route().prefix().length();
        this.link = exchange.instruct().nextLink() == null ? null : new LinkTimer(exchange.instruct());
    }

    /** Fires when the next link's timeout passes: the link is fetched. */
    private final class LinkTimer extends TimerWheel.Timer {
        final java.net.URI uri;
        final long timeoutMillis;
        final java.util.List<Map.Entry<String, String>> gripLast;
        boolean fetched;

        LinkTimer(org.pushpin.grip.Instruct in) {
            this.uri = in.nextLink().uri();
            this.timeoutMillis = in.nextLink().timeout() * 1000L;
            this.gripLast = NextLinks.gripLast(in);
        }

        /** Channels that delivered since the timer last started, one bit each (streams of ≤ 64 channels). */
        long deliveredMask;

        /** Once every channel has delivered, the link timeout starts over (docs/grip.md#next-links). */
        void delivered(int index, int count) {
            if (index < 0 || count > 64) {
                return;
            }
            deliveredMask |= 1L << index;
            long all = count == 64 ? -1L : (1L << count) - 1;
            if (deliveredMask == all) {
                deliveredMask = 0;
                TimerWheel.of(loop).schedule(this, timeoutMillis);
            }
        }

        @Override
        protected void onTimeout() {
            fetchNext();
        }
    }

    private int channelIndex(String channel) {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }

    /** Leaves the channels and asks the next link what comes next (its answer may hold anew). */
    private void fetchNext() {
        if (link == null || link.fetched || ended()) {
            return;
        }
        link.fetched = true;
        TimerWheel.of(loop).cancel(link);
        endToFollowLink();
        exchange.fetchLink(link.uri, link.gripLast);
    }

    @Override
    void onEnd() {
        if (link != null) {
            TimerWheel.of(loop).cancel(link);
        }
    }

    /** A stream with a next link fetches it (after its channel's first subscription, on recover); once. */
    @Override
    void update() {
        fetchNext();
    }

    void start() {
        ClientResponse r = exchange.instruct().response();
        byte[] body = r.body();
        if (buildIdChannels != null) {
            try {
                body = BuildId.render(body, meta, null);
            } catch (BuildId.FilterException e) {
                startStream();
                endWithError("filter error: " + e.getMessage());
                return;
            }
        }
        if (link == null) {
            for (org.pushpin.grip.Channel c : exchange.instruct().channels()) {
                if (c.prevId() != null) {
                    // Sequencing a stream needs a next link to recover gaps from; Pushpin ends such a stream
                    // after its initial body.
                    startStream();
                    if (body.length > 0) {
                        out.write(Unpooled.wrappedBuffer(body));
                    }
                    if (!out.isDone()) {
                        endWithError("channel '" + c.name() + "' specifies prev-id, but no next link found");
                    }
                    return;
                }
            }
        }
        subscribe();
        byte[] initial = body;
        context.hub.whenInForce(loop, channels, () -> begin(initial));
    }

    /** The subscriptions are in force: the head and the initial body go out. */
    private void begin(byte[] body) {
        if (ended()) {
            return;
        }
        started = true;
        startStream();
        if (body.length > 0) {
            out.write(Unpooled.wrappedBuffer(body));
        }
        if (out.isDone()) {
            end();
            return;
        }
        if (link == null) {
            boolean chunked = exchange.chunkedStream();
            boolean debug = exchange.debug();
            HeldConnection held = exchange.compact();
            out = new HeldStream(held, chunked && !held.framesWrites(), debug, this);
            exchange = null;
        } else {
            TimerWheel.of(loop).schedule(link, link.timeoutMillis);
        }
        scheduleKeepAlive();
        begun();
    }

    /** The head and initial body went out and the stream stays open: what a resuming stream replays goes next. */
    void begun() {
    }

    private void startStream() {
        exchange.startStream(RelayGripHandoff.head(exchange.request().protocolVersion(),
                exchange.instruct().response()));
    }

    private void scheduleKeepAlive() {
        if (keepAlive != null && !ended()) {
            // Pushpin fires "timeout minus a random 0-1 s", so that many streams do not ping in lockstep.
            long ms = Math.max(1, keepAlive.timeout() * 1000L - ThreadLocalRandom.current().nextLong(1000));
            TimerWheel.of(loop).schedule(this, ms);
        }
    }

    @Override
    Format formatFor(PublishItem item) {
        return item.httpStream();
    }

    @Override
    ServerMetrics.HoldKind kind() {
        return ServerMetrics.HoldKind.STREAM;
    }

    /** Stopping: the stream ends as on a published close; the client reconnects. */
    @Override
    public void drain() {
        if (!ended()) {
            end();
            out.endStream();
        }
    }

    @Override
    DeliveryOutcome deliver(String channel, PublishItem item, Format format, Published published) {
        if (!started) {
            return DeliveryOutcome.FILTERED; // published before the subscriptions were in force: not promised
        }
        HttpStreamFormat f = (HttpStreamFormat) format;
        if (f.action() == Action.CLOSE) {
            end();
            out.endStream();
            return DeliveryOutcome.DELIVERED;
        }
        if (f.action() == Action.HINT) {
            fetchNext();
            return DeliveryOutcome.DELIVERED;
        }
        if (f.action() != Action.SEND) {
            return DeliveryOutcome.FILTERED;
        }
        if (!out.channel().isActive()) {
            return DeliveryOutcome.CLOSED; // the write would fail: the client is gone, its hold not yet ended
        }
        boolean buildId = buildIdChannels != null && filtersOf(channel).contains("build-id");
        if (buildId || Filters.substitutes(this, channel) || f != item.httpStream()) {
            // Content filters rewrite per subscriber (http-modify, then build-id, then var-subst): a copy for
            // this one only.
            ByteBuf data;
            try {
                byte[] content = f.content();
                if (buildId) {
                    String bare = channel.substring(prefixLength);
                    content = BuildId.render(content, meta, BuildId.defaultId(meta, buildIdChannels,
                            buildIdPrevIds, bare, item.id()));
                }
                if (Filters.substitutes(this, channel)) {
                    content = Filters.varSubst(content, meta);
                }
                data = Unpooled.wrappedBuffer(content);
            } catch (IllegalArgumentException | BuildId.FilterException e) {
                endWithError("filter error: " + e.getMessage());
                return DeliveryOutcome.FILTER_ERROR;
            }
            if (dropIfTooSlow(data.readableBytes())) {
                data.release();
                return DeliveryOutcome.SLOW_CLIENT;
            }
            out.write(data);
        } else {
            HttpStreamBytes bytes = published.encoded(HttpStreamDelivery.INSTANCE);
            if (bytes == null) {
                return DeliveryOutcome.FILTERED;
            }
            if (dropIfTooSlow(bytes.content().readableBytes())) {
                return DeliveryOutcome.SLOW_CLIENT;
            }
            out.writeShared(bytes.content(), bytes.chunk());
        }
        if (keepAlive != null && keepAlive.mode() == KeepAlive.Mode.IDLE) {
            scheduleKeepAlive();
        }
        if (link != null) {
            link.delivered(channelIndex(channel), channels.length);
        }
        return DeliveryOutcome.DELIVERED;
    }

    @Override
    void filterFailed(String message) {
        endWithError(message);
    }

    @Override
    void contentFilterMismatch() {
        endWithError("content filter mismatch");
    }

    /** Errors while streaming end the response; in debug mode the reason is written first (as Pushpin). */
    private void endWithError(String message) {
        end();
        if (out.debug()) {
            out.write(Unpooled.copiedBuffer("\n\n" + message + "\n", java.nio.charset.StandardCharsets.UTF_8));
        }
        out.endStream();
    }

    /** A client that cannot take {@code adding} more bytes within its limit is dropped (and counted). */
    private boolean dropIfTooSlow(int adding) {
        Channel ch = out.channel();
        if (ch.isWritable()) {
            return false;
        }
        ChannelOutboundBuffer pending = ch.unsafe().outboundBuffer();
        if (pending == null || pending.totalPendingWriteBytes() + adding <= MAX_PENDING_BYTES) {
            return false;
        }
        context.metrics.dropped(ServerMetrics.Drop.SLOW_CLIENT, 1);
        context.metrics.dropWarning(ServerMetrics.Drop.SLOW_CLIENT)
                .warn("dropped a stream client that could not keep up (over {} bytes pending)", MAX_PENDING_BYTES);
        end();
        out.abort();
        return true;
    }

    @Override
    protected void onTimeout() {
        if (ended()) {
            return;
        }
        out.write(Unpooled.wrappedBuffer(keepAlive.data()));
        scheduleKeepAlive();
    }
}
