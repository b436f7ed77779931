package org.pushpin.ingest;

import java.util.List;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.Publisher;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The PULL input ({@code push_in_spec}, bound): each message is one item, one part ({@link ZmqItemDecoder}). A
 * publisher's PUSH socket waits when ours is {@link ZmqReceiver#RECEIVE_HWM} behind, so a flood is paced, not lost.
 */
public final class ZmqPullInput extends ZmqReceiver {
    private final Publisher publisher;
    private final ServerMetrics metrics;

    private ZmqPullInput(ZContext zmq, Publisher publisher, ServerMetrics metrics) {
        super(zmq, SocketType.PULL, "zmq pull");
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Binds {@code spec} and starts reading. */
    public static ZmqPullInput start(ZContext zmq, String spec, Publisher publisher, ServerMetrics metrics) {
        ZmqPullInput in = new ZmqPullInput(zmq, publisher, metrics);
        try {
            ZmqSpecs.bind(in.socket, spec);
        } catch (RuntimeException e) {
            in.stop();
            throw e;
        }
        LOG.info("zmq pull input: {}", spec);
        in.startThread();
        return in;
    }

    @Override
    void onMessage(List<byte[]> parts) {
        if (parts.size() != 1) {
            metrics.dropped(ServerMetrics.Drop.MALFORMED_INPUT, 1);
            warn("message with " + parts.size() + " parts dropped (one expected)");
            return;
        }
        publishPart(publisher, metrics, parts.get(0), null);
    }
}
