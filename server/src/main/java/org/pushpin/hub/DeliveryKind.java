package org.pushpin.hub;

import org.pushpin.message.PublishItem;

/**
 * A kind of held connection (an HTTP stream, a long-poll, a WebSocket), as far as the hub needs to know it: how a
 * published item is encoded once for every connection of this kind on every loop. The hub is given its kinds when
 * it is built; adding a kind of held connection adds an implementation, not a hub signature.
 *
 * @param <T> what the kind's connections share of one item (e.g. framed, read-only bytes)
 */
public interface DeliveryKind<T> {
    /**
     * Called once per fanned-out item, on the hub's thread. Returns what every connection of this kind writes for
     * {@code item}, shared by all of them on every loop (so: immutable, or bytes they only duplicate), or null when
     * the item has nothing for this kind or its connections build their answer themselves.
     */
    T encode(PublishItem item);
}
