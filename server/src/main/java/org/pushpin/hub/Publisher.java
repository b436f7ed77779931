package org.pushpin.hub;

import java.util.List;
import org.pushpin.message.PublishItem;

/** Where publishes go, whatever their input (HTTP control API, ZeroMQ, command socket). Thread-safe. */
public interface Publisher {
    /** Hands the items over for delivery, in order; returns at once (delivery is asynchronous). */
    void publish(List<PublishItem> items);

    /** {@code recover}: forget per-channel last ids and ask every HTTP hold to update (grip.md §7). */
    void recover();
}
