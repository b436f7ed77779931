package org.pushpin.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pushpin.broker.ClusterCounts;
import org.pushpin.broker.ItemCounts;
import org.pushpin.metrics.ServerMetrics.Drop;
import org.pushpin.publish.DeliveryReport;

/**
 * Delivery feedback through a cluster broker (docs/delivery-feedback.md): this instance's report of an item as the
 * counts it sends back, and the counts summed over the instances as the publisher's report.
 */
final class ClusterFeedback {
    private ClusterFeedback() {
    }

    /** What this instance tells the publishing one. */
    static List<ItemCounts> counts(DeliveryReport report) {
        List<ItemCounts> out = new ArrayList<>(report.items().size());
        for (DeliveryReport.Item i : report.items()) {
            DeliveryReport.Outcomes o = i.outcomes();
            out.add(new ItemCounts(o.delivered(), o.filtered(), o.deferred(), o.slowClient(), o.closed(),
                    o.filterError(), i.dropped().getOrDefault(Drop.MESSAGE_HWM, 0L).intValue(),
                    i.discarded() == null ? null : i.discarded().name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** The publisher's report: every instance's counts summed, item by item. */
    static DeliveryReport report(ClusterCounts counts) {
        List<DeliveryReport.Item> items = new ArrayList<>(counts.items().size());
        for (int n = 0; n < counts.items().size(); n++) {
            ItemCounts c = counts.items().get(n);
            DeliveryReport.Outcomes o = new DeliveryReport.Outcomes(c.delivered(), c.filtered(), c.deferred(),
                    c.slowClient(), c.closed(), c.filterError());
            Map<Drop, Long> dropped = c.messageHwm() == 0 ? Map.of() : Map.of(Drop.MESSAGE_HWM, (long) c.messageHwm());
            items.add(new DeliveryReport.Item(o.total() + c.messageHwm(), dropped, discarded(c.discarded()), o,
                    counts.answered().get(n)));
        }
        return new DeliveryReport(items, counts.complete(), counts.instances());
    }

    private static Drop discarded(String name) {
        for (Drop d : Drop.values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(name)) {
                return d;
            }
        }
        return null;
    }
}
