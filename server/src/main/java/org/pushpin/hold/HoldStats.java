package org.pushpin.hold;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters of what holds had to give up, so that nothing is dropped without a word. */
public final class HoldStats {
    private static final Logger LOG = LoggerFactory.getLogger("handler");
    private static final LongAdder SLOW_CLIENTS = new LongAdder();

    private HoldStats() {
    }

    static void droppedSlowClient() {
        SLOW_CLIENTS.increment();
        LOG.warn("dropped a stream client that could not keep up (over {} bytes pending)",
                StreamHold.MAX_PENDING_BYTES);
    }

    /** Stream clients dropped because they could not take what was published. */
    public static long slowClientsDropped() {
        return SLOW_CLIENTS.sum();
    }
}
