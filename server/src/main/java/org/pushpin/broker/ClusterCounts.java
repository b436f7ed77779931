package org.pushpin.broker;

import java.util.List;

/**
 * The counts of a publish that asked for feedback, summed over the instances that answered
 * (docs/delivery-feedback.md).
 *
 * @param items     per published item, in order
 * @param answered  per item: every instance it reached answered in time
 * @param instances the most instances any item reached (those the publishing instance waited for)
 */
public record ClusterCounts(List<ItemCounts> items, List<Boolean> answered, int instances) {
    public ClusterCounts {
        items = List.copyOf(items);
        answered = List.copyOf(answered);
    }

    public boolean complete() {
        return !answered.contains(false);
    }
}
