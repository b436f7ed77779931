package org.pushpin.hub;

import org.pushpin.message.PublishItem;

/**
 * What the hub tells the stats socket about subscriptions and deliveries, when one is set ({@link Hub#listen}):
 * nothing of this is counted otherwise. Both are called on an event loop's thread and must be quick (hand the
 * event on, never block).
 */
public interface SubscriptionListener {
    /** The number of subscribers of {@code channel} (of some mode) changed; read them with {@link Hub#subscribers}. */
    void changed(String channel);

    /**
     * {@code item} was delivered on every loop it went to: {@code receivers[m]} subscribers of mode {@code m}
     * ({@link Subscriber.Mode#ordinal()}) got it, all loops together.
     */
    void delivered(PublishItem item, int[] receivers);

    /**
     * As {@link #delivered(PublishItem, int[])}, with what became of it at each subscriber when its publisher asked
     * (docs/delivery-feedback.md): {@code outcomes[mode * DeliveryOutcome count + outcome]}, else null.
     */
    default void delivered(PublishItem item, int[] receivers, int[] outcomes) {
        delivered(item, receivers);
    }
}
