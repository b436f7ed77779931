package org.pushpin.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pushpin.broker.InterestBroker;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.Publisher;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The SUB input ({@code push_in_sub_specs}): messages of two parts, [channel, item]; the first part's channel wins
 * over one in the item. Bound to each spec, or connected to each with {@code push_in_sub_connect} (TCP keep-alive
 * idle 30 s, 6 probes, 5 s apart, as Pushpin). The socket subscribes (ZeroMQ prefix filter = the channel's bytes)
 * only to channels this instance holds, and unsubscribes after the last subscriber left, so an XPUB publisher sees
 * exactly the interest.
 *
 * <p>The hub's thread says which channels are wanted ({@link InterestBroker.Listener}); only this input's thread
 * touches the socket. In between is the state, not a queue of events: the wanted set, and the names that changed
 * since the socket last looked (each once), applied between receives.
 *
 * <p>With {@code [handler] wildcard_channels}, a held channel ending in {@code *} subscribes upstream to its prefix
 * (ZeroMQ's filter is a prefix match already) and lets in every channel that starts with it. ZeroMQ hands a message
 * to a SUB socket once however many of its subscriptions match, so nothing comes twice.
 */
public final class ZmqSubInput extends ZmqReceiver implements InterestBroker.Listener {
    /** A connection not through the ZeroMQ handshake by then is dropped and retried. */
    private static final int HANDSHAKE_MILLIS = 2_000;
    private final ServerMetrics metrics;
    private volatile Publisher publisher;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** What the socket is subscribed to; this thread only. */
    private final Set<String> applied = new HashSet<>();
    /** The prefixes of the wildcard channels in {@link #applied}; this thread only; null without wildcards. */
    private final Set<String> appliedPrefixes;

    private ZmqSubInput(ZContext zmq, ServerMetrics metrics, boolean wildcards) {
        super(zmq, SocketType.SUB, "zmq sub");
        this.metrics = metrics;
        this.appliedPrefixes = wildcards ? new HashSet<>() : null;
    }

    /**
     * Creates the socket, before the hub exists (the hub's broker tells this input what is wanted); {@link #open}
     * then binds or connects it.
     */
    public static ZmqSubInput create(ZContext zmq, ServerMetrics metrics) {
        return new ZmqSubInput(zmq, metrics, false);
    }

    /** As {@link #create(ZContext, ServerMetrics)}; {@code wildcards}: {@code wildcard_channels} is on. */
    public static ZmqSubInput create(ZContext zmq, ServerMetrics metrics, boolean wildcards) {
        return new ZmqSubInput(zmq, metrics, wildcards);
    }

    /** What the socket subscribes to for {@code channel}: the prefix of a wildcard channel, else the name. */
    private byte[] filterOf(String channel) {
        String f = patternPrefix(channel);
        return (f == null ? channel : f).getBytes(StandardCharsets.UTF_8);
    }

    /** The prefix {@code channel} stands for when it is a wildcard channel, else null. */
    private String patternPrefix(String channel) {
        boolean pattern = appliedPrefixes != null && !channel.isEmpty() && channel.endsWith("*");
        return pattern ? channel.substring(0, channel.length() - 1) : null;
    }

    /** Binds (or connects, {@code connect}) every spec and starts reading, handing items to {@code publisher}. */
    public void open(Publisher publisher, List<String> specs, boolean connect) {
        this.publisher = publisher;
        try {
            if (connect) {
                socket.setTCPKeepAlive(1);
                socket.setTCPKeepAliveIdle(30);
                socket.setTCPKeepAliveCount(6);
                socket.setTCPKeepAliveInterval(5);
                // Now and then a JeroMQ SUB's connection to a libzmq XPUB reports itself connected and then never
                // completes the ZMTP handshake; the subscriptions wait behind it until libzmq's handshake timer (30 s)
                // drops the connection. Our own, shorter timer retries such a connection after 2 s (a handshake on a
                // working link takes a round trip). Seen in it/cluster/ZmqFanInTest about one run in five before.
                socket.setHandshakeIvl(HANDSHAKE_MILLIS);
            }
            for (String spec : specs) {
                if (connect) {
                    ZmqSpecs.connect(socket, spec);
                } else {
                    ZmqSpecs.bind(socket, spec);
                }
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("zmq sub input: {} {}", connect ? "connected to" : "bound at", specs);
        startThread();
    }

    @Override
    public void channelWanted(String channel) {
        wanted.add(channel);
        changed.add(channel);
    }

    @Override
    public void channelDropped(String channel) {
        wanted.remove(channel);
        changed.add(channel);
    }

    @Override
    void onIdle() {
        if (changed.isEmpty()) {
            return;
        }
        for (String channel : new ArrayList<>(changed)) {
            changed.remove(channel);
            boolean want = wanted.contains(channel);
            String prefix = patternPrefix(channel);
            if (prefix != null) {
                if (want) {
                    appliedPrefixes.add(prefix);
                } else {
                    appliedPrefixes.remove(prefix);
                }
            }
            if (want && applied.add(channel)) {
                boolean ok = socket.subscribe(filterOf(channel));
                LOG.debug("zmq sub input: subscribe {} ({})", channel, ok);
            } else if (!want && applied.remove(channel)) {
                boolean ok = socket.unsubscribe(filterOf(channel));
                LOG.debug("zmq sub input: unsubscribe {} ({})", channel, ok);
            }
        }
    }

    @Override
    void onMessage(List<byte[]> parts) {
        if (parts.size() != 2) {
            metrics.dropped(ServerMetrics.Drop.MALFORMED_INPUT, 1);
            warn("message with " + parts.size() + " parts dropped (two expected: channel, item)");
            return;
        }
        String channel = new String(parts.get(0), StandardCharsets.UTF_8);
        if (!applied.contains(channel) && !matchesPattern(channel)) {
            return; // a prefix match of a channel we hold ("ab" when we hold "a"): not ours
        }
        publishPart(publisher, metrics, parts.get(1), channel);
    }

    private boolean matchesPattern(String channel) {
        if (appliedPrefixes == null || appliedPrefixes.isEmpty()) {
            return false;
        }
        for (String p : appliedPrefixes) {
            if (channel.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
