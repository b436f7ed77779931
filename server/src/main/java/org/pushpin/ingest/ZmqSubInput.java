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

    private ZmqSubInput(ZContext zmq, ServerMetrics metrics) {
        super(zmq, SocketType.SUB, "zmq sub");
        this.metrics = metrics;
    }

    /**
     * Creates the socket, before the hub exists (the hub's broker tells this input what is wanted); {@link #open}
     * then binds or connects it.
     */
    public static ZmqSubInput create(ZContext zmq, ServerMetrics metrics) {
        return new ZmqSubInput(zmq, metrics);
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
            if (want && applied.add(channel)) {
                boolean ok = socket.subscribe(channel.getBytes(StandardCharsets.UTF_8));
                LOG.debug("zmq sub input: subscribe {} ({})", channel, ok);
            } else if (!want && applied.remove(channel)) {
                boolean ok = socket.unsubscribe(channel.getBytes(StandardCharsets.UTF_8));
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
        if (!applied.contains(channel)) {
            return; // a prefix match of a channel we hold ("ab" when we hold "a"): not ours
        }
        publishPart(publisher, metrics, parts.get(1), channel);
    }
}
