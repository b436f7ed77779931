package org.pushpin.hub;

import org.pushpin.message.PublishItem;

/**
 * A held connection as the hub sees it. It subscribes itself on its own event loop and is delivered to on that
 * loop, so an implementation needs no locks. The hub never imports the hold package: this is all it knows.
 */
public interface Subscriber {
    /**
     * One published item for {@code channel} (the full channel name, route prefix included).
     *
     * @param shared the item's bytes already encoded once for every receiver (see {@link SharedContent}); a
     *               subscriber that writes them unchanged uses {@code retainedDuplicate()}, never copies
     */
    void deliver(String channel, PublishItem item, SharedContent shared);
}
