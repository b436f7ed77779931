package org.pushpin.monitor;

import io.netty.util.internal.PlatformDependent;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pushpin.hub.DeliveryOutcome;
import org.pushpin.hub.Hub;
import org.pushpin.hub.Subscriber.Mode;
import org.pushpin.hub.SubscriptionListener;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics;

/**
 * The stats socket's {@code sub} and {@code message} packets.
 * <ul>
 * <li>{@code sub}, per channel and mode: "subscribed" with the subscriber count when the first subscriber comes
 * and whenever the count changed (coalesced: channels that changed are marked, and read from the hub when the
 * stats thread next drains), again every ttl×3/4 s while subscribed (spread over that period, like
 * {@link ConnectionStats}); "gone" ({@code unavailable}) when the last leaves — for long-polls ({@code response})
 * only once {@code subscription_linger} s passed without one coming back, as Pushpin lingers them.</li>
 * <li>{@code message}: one per delivered item and transport, {@code count} = its receivers of that mode on every
 * loop (the hub tallies them once per loop, never per connection).</li>
 * </ul>
 * What it keeps: the counts last announced, per channel (stats thread only), and the channels changed since the
 * last drain. Deliveries wait in a bounded queue; over {@value #QUEUE}, one is dropped and counted.
 */
final class SubscriptionStats implements SubscriptionListener {
    static final int QUEUE = 65_536;
    private static final Mode[] MODES = Mode.values();

    private record Delivered(PublishItem item, int[] receivers, int[] outcomes) {
    }

    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Queue<Delivered> delivered = PlatformDependent.newFixedMpscQueue(QUEUE);
    private final Hub hub;
    private final ServerMetrics metrics;
    private final StatsPackets out;
    private final int ttl;
    private final int period;
    /** Stats thread: the counts last announced, by channel and mode ordinal (a channel leaves at all zeros). */
    private final HashMap<String, int[]> announced = new HashMap<>();
    /** Stats thread: long-poll channels left without subscribers, until when they linger (in that order). */
    private final LinkedHashMap<String, Long> lingering = new LinkedHashMap<>();
    private long second;

    /** Long-poll channels linger as long as the hub lingers them ({@code subscription_linger}, as now in force). */
    SubscriptionStats(Hub hub, ServerMetrics metrics, StatsPackets out, int ttlSeconds) {
        this.hub = hub;
        this.metrics = metrics;
        this.out = out;
        this.ttl = Math.max(1, ttlSeconds);
        this.period = Math.max(1, ttl * 3 / 4);
    }

    // ---- from event loops ----

    @Override
    public void changed(String channel) {
        if (!changed.contains(channel)) {
            changed.add(channel);
        }
    }

    @Override
    public void delivered(PublishItem item, int[] receivers) {
        delivered(item, receivers, null);
    }

    @Override
    public void delivered(PublishItem item, int[] receivers, int[] outcomes) {
        for (int n : receivers) {
            if (n > 0) {
                if (!delivered.offer(new Delivered(item, receivers, outcomes))) {
                    metrics.dropped(ServerMetrics.Drop.STATS_QUEUE, 1);
                }
                return;
            }
        }
    }

    // ---- stats thread ----

    /** Sends the {@code sub} and {@code message} packets of what happened since the last call. */
    void drain() {
        if (!changed.isEmpty()) {
            Iterator<String> it = changed.iterator();
            while (it.hasNext()) {
                String channel = it.next();
                it.remove(); // before reading the counts: a change after this read marks the channel again
                announce(channel);
            }
        }
        Delivered d;
        while ((d = delivered.poll()) != null) {
            sendMessages(d.item, d.receivers, d.outcomes);
        }
    }

    private void announce(String channel) {
        int[] last = announced.get(channel);
        long linger = hub.lingerMillis();
        for (Mode m : MODES) {
            int now = hub.subscribers(channel, m);
            int before = last == null ? 0 : last[m.ordinal()];
            if (now == before) {
                continue;
            }
            if (now > 0) {
                if (last == null) {
                    last = new int[MODES.length];
                    announced.put(channel, last);
                }
                last[m.ordinal()] = now;
                sendSubscribed(channel, m, now);
            } else if (m == Mode.RESPONSE && linger > 0) {
                lingering.remove(channel);
                // announced stays: it lingers
                lingering.put(channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(linger));
            } else {
                last[m.ordinal()] = 0;
                sendGone(channel, m);
            }
        }
        forgetIfEmpty(channel, last);
    }

    /** Stats thread, once a second: lingering long-poll channels that expired, and this second's refresh slice. */
    void tick() {
        long now = System.nanoTime();
        Iterator<Map.Entry<String, Long>> it = lingering.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() - now > 0) {
                // entries are in deadline order (one linger for all; after a SIGHUP changed it, an entry may wait
                // behind an older one, at most the old linger)
                break;
            }
            it.remove();
            String channel = e.getKey();
            int[] last = announced.get(channel);
            if (last != null && last[Mode.RESPONSE.ordinal()] > 0
                    && hub.subscribers(channel, Mode.RESPONSE) == 0) {
                last[Mode.RESPONSE.ordinal()] = 0;
                sendGone(channel, Mode.RESPONSE);
                forgetIfEmpty(channel, last);
            }
        }
        long slice = second++ % period;
        for (Map.Entry<String, int[]> e : announced.entrySet()) {
            if (Math.floorMod(e.getKey().hashCode(), period) == slice) {
                for (Mode m : MODES) {
                    int n = e.getValue()[m.ordinal()];
                    if (n > 0) {
                        sendSubscribed(e.getKey(), m, n);
                    }
                }
            }
        }
    }

    private void forgetIfEmpty(String channel, int[] last) {
        if (last == null) {
            return;
        }
        for (int n : last) {
            if (n != 0) {
                return;
            }
        }
        announced.remove(channel);
    }

    private void sendSubscribed(String channel, Mode mode, int subscribers) {
        Map<String, Object> p = out.packet();
        p.put("mode", mode.wire);
        p.put("channel", channel);
        p.put("ttl", ttl);
        p.put("subscribers", subscribers);
        out.send("sub", p);
    }

    private void sendGone(String channel, Mode mode) {
        Map<String, Object> p = out.packet();
        p.put("mode", mode.wire);
        p.put("channel", channel);
        p.put("unavailable", true);
        out.send("sub", p);
    }

    private void sendMessages(PublishItem item, int[] receivers, int[] outcomes) {
        for (Mode m : MODES) {
            int n = receivers[m.ordinal()];
            if (n <= 0 || !hasFormat(item, m)) {
                continue;
            }
            Map<String, Object> p = out.packet();
            p.put("channel", item.channel());
            if (item.id() != null) {
                p.put("item-id", item.id());
            }
            p.put("count", n);
            p.put("transport", m.transport);
            if (outcomes != null) {
                putOutcomes(p, outcomes, m);
            }
            out.send("message", p);
        }
    }

    private static boolean hasFormat(PublishItem item, Mode m) {
        return switch (m) {
            case RESPONSE -> item.httpResponse() != null;
            case STREAM -> item.httpStream() != null;
            case WS -> item.wsMessage() != null;
        };
    }

    /** Ours, only for an item published with delivery feedback (docs/delivery-feedback.md): by outcome, this mode. */
    private static void putOutcomes(Map<String, Object> p, int[] outcomes, Mode m) {
        int k = DeliveryOutcome.values().length;
        int dropped = 0;
        for (DeliveryOutcome o : DeliveryOutcome.values()) {
            if (o.dropped()) {
                dropped += outcomes[m.ordinal() * k + o.ordinal()];
            }
        }
        p.put("delivered", outcomes[m.ordinal() * k + DeliveryOutcome.DELIVERED.ordinal()]);
        p.put("filtered", outcomes[m.ordinal() * k + DeliveryOutcome.FILTERED.ordinal()]);
        p.put("deferred", outcomes[m.ordinal() * k + DeliveryOutcome.DEFERRED.ordinal()]);
        p.put("dropped", dropped);
    }
}
