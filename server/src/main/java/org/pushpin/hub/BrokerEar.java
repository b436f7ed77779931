package org.pushpin.hub;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.pushpin.broker.Broker;
import org.pushpin.broker.ItemCounts;
import org.pushpin.message.PublishItem;

/** Where the broker hands the hub what to fan out here: plain items, and items whose publisher asked for counts. */
record BrokerEar(Consumer<List<PublishItem>> plain, BiConsumer<List<PublishItem>, Consumer<List<ItemCounts>>> counting)
        implements Broker.Fanout {
    @Override
    public void fanOut(List<PublishItem> items) {
        plain.accept(items);
    }

    @Override
    public void fanOutCounting(List<PublishItem> items, Consumer<List<ItemCounts>> done) {
        counting.accept(items, done);
    }
}
