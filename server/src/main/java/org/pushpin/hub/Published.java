package org.pushpin.hub;

import org.pushpin.message.PublishItem;

/**
 * One published item as it reaches subscribers: the item and what each {@link DeliveryKind} encoded of it, once
 * for all loops. Immutable once built; the same instance goes to every loop with subscribers of the channel.
 */
public final class Published {
    private final PublishItem item;
    private final DeliveryKind<?>[] kinds;
    private final Object[] encoded;
    private final long arrivedNanos;
    /**
     * Its place in the hub's history (docs/history.md), increasing in fanout order across all channels; 0 when
     * history is off. Set on the hub thread before the item is handed to any loop.
     */
    long seq;

    Published(PublishItem item, DeliveryKind<?>[] kinds, long arrivedNanos) {
        this.item = item;
        this.arrivedNanos = arrivedNanos;
        this.kinds = kinds;
        this.encoded = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            encoded[i] = kinds[i].encode(item);
        }
    }

    public PublishItem item() {
        return item;
    }

    /** The history's position of this item (0: history is off); resuming subscribers de-duplicate by it. */
    public long seq() {
        return seq;
    }

    /** {@link System#nanoTime()} when the item reached this instance's hub (publish-to-delivery latency). */
    long arrivedNanos() {
        return arrivedNanos;
    }

    /** What {@code kind} encoded of the item (null when it had nothing); {@code kind} must be one of the hub's. */
    @SuppressWarnings("unchecked")
    public <T> T encoded(DeliveryKind<T> kind) {
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == kind) {
                return (T) encoded[i];
            }
        }
        throw new IllegalArgumentException("not a delivery kind of this hub: " + kind);
    }
}
