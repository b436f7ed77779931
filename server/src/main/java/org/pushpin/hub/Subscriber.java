package org.pushpin.hub;

/**
 * A held connection as the hub sees it. It subscribes itself on its own event loop and is delivered to on that
 * loop, so an implementation needs no locks. The hub never imports the hold package: this is all it knows.
 */
public interface Subscriber {
    /** How a held connection gets its items: Pushpin's subscription modes, as its stats name them. */
    enum Mode {
        /** A long-poll: one {@code http-response}. */
        RESPONSE("response", "http-response"),
        /** An HTTP stream: {@code http-stream} content. */
        STREAM("stream", "http-stream"),
        /** A WebSocket: {@code ws-message}s. */
        WS("ws", "ws-message");

        /** The {@code mode} of a stats {@code sub} packet. */
        public final String wire;
        /** The {@code transport} of a stats {@code message} packet: the item format this mode takes. */
        public final String transport;

        Mode(String wire, String transport) {
            this.wire = wire;
            this.transport = transport;
        }
    }

    /**
     * One published item for {@code channel} (the full channel name, route prefix included). What the item's
     * encoding for this subscriber's {@link DeliveryKind} holds is shared with every other receiver: write
     * duplicates of it, never change or release it.
     */
    void deliver(String channel, Published published);

    /**
     * As {@link #deliver}, saying what became of the item here (docs/delivery-feedback.md). The hub calls this one;
     * a subscriber that cannot tell keeps this default, which counts every item it is handed as delivered.
     */
    default DeliveryOutcome offer(String channel, Published published) {
        deliver(channel, published);
        return DeliveryOutcome.DELIVERED;
    }

    /**
     * The server is stopping: end this hold as it would end for good, so the client reconnects (to another
     * instance): a stream ends, a long-poll gets its timeout answer, a WebSocket is closed with 1012. Called on the
     * subscriber's loop.
     */
    default void drain() {
    }

    /**
     * The allowance of {@code message_rate} and {@code message_hwm} this subscriber's deliveries count under: the
     * explicit {@code id} of its route, or {@code ""} for the one shared by everything else. As in Pushpin 1.36,
     * only WebSocket sessions are keyed by route (its proxy never hands an HTTP hold's route to its handler), so an
     * HTTP hold keeps the default. Must not change while subscribed.
     */
    default String statsRoute() {
        return "";
    }

    /** This subscriber's mode (for the stats); a stream unless said otherwise. */
    default Mode mode() {
        return Mode.STREAM;
    }
}
