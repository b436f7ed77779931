package org.pushpin.hub;

/**
 * What became of one item at one subscriber ({@link Subscriber#offer}), for delivery feedback
 * (docs/delivery-feedback.md). Returned, never stored: the walk over a loop's subscribers sums these only for a
 * publish whose publisher asked.
 */
public enum DeliveryOutcome {
    /**
     * Its content was handed to Netty for writing while the connection was open and within its limits, or its
     * action (close, hint, refresh) was carried out.
     */
    DELIVERED,
    /** Not for this subscriber: a GRIP filter (skip-self, skip-users, require-pub, ...), no format for it, ... */
    FILTERED,
    /** Handed to filters that call the origin: what becomes of it is known only after the feedback was counted. */
    DEFERRED,
    /** Dropped: the client had more waiting than its limit; the connection was cut. */
    SLOW_CLIENT,
    /** Dropped: the connection had already ended or closed. */
    CLOSED,
    /** Dropped: a content filter failed (or did not match) and ended the session. */
    FILTER_ERROR;

    /** Whether the subscriber should have had it but did not. */
    public boolean dropped() {
        return ordinal() >= SLOW_CLIENT.ordinal();
    }
}
