package org.pushpin.hub;

/**
 * A held connection as the hub sees it. It subscribes itself on its own event loop and is delivered to on that
 * loop, so an implementation needs no locks. The hub never imports the hold package: this is all it knows.
 */
public interface Subscriber {
    /**
     * One published item for {@code channel} (the full channel name, route prefix included). What the item's
     * encoding for this subscriber's {@link DeliveryKind} holds is shared with every other receiver: write
     * duplicates of it, never change or release it.
     */
    void deliver(String channel, Published published);
}
