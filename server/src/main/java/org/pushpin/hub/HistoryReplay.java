package org.pushpin.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the history had for one resuming client, taken on the hub thread: the items after its id, in fanout order
 * ({@code items}), and the newest position the history had then ({@code upTo}): every live delivery after that
 * position reaches a subscriber that subscribed before the lookup, and none at or before it needs to.
 * {@code found}: the id was held on at least one channel; else nothing is replayed and a miss was counted.
 * {@code ids}: with a history shared through the broker ({@link SharedReplay}), the ids of the replayed items, by
 * which the gate de-duplicates instead of by position ({@code upTo} is then {@link Long#MIN_VALUE}); else null.
 */
public record HistoryReplay(List<Published> items, long upTo, boolean found, java.util.Set<String> ids) {

    /** From this instance's history: de-duplicated by position. */
    HistoryReplay(List<Published> items, long upTo, boolean found) {
        this(items, upTo, found, null);
    }

    /** Resume: every item after {@code lastId} on each channel that holds it. */
    static HistoryReplay of(ChannelHistory history, String[] channels, String lastId) {
        List<Published> items = new ArrayList<>();
        int foundIn = 0;
        for (String c : channels) {
            ChannelHistory.After a = history.after(c, lastId);
            if (a.found()) {
                foundIn++;
                items.addAll(a.items());
            }
        }
        if (foundIn == 0) {
            history.missed();
        } else if (foundIn > 1) {
            items.sort(Comparator.comparingLong(Published::seq));
        }
        history.replayed(items.size());
        return new HistoryReplay(List.copyOf(items), history.lastSeq(), foundIn > 0);
    }

    /**
     * Long-poll: the first item after a channel's prev-id that has an {@code http-response} format; the first
     * channel with one wins. A prev-id the history does not hold counts as a miss.
     */
    static HistoryReplay next(ChannelHistory history, String[] channels, String[] prevIds) {
        boolean found = false;
        boolean missed = false;
        for (int i = 0; i < channels.length; i++) {
            if (prevIds[i] == null) {
                continue;
            }
            ChannelHistory.After a = history.after(channels[i], prevIds[i]);
            if (!a.found()) {
                missed = true;
                continue;
            }
            found = true;
            for (Published p : a.items()) {
                if (p.item().httpResponse() != null) {
                    history.replayed(1);
                    return new HistoryReplay(List.of(p), history.lastSeq(), true);
                }
            }
        }
        if (missed) {
            history.missed();
        }
        return new HistoryReplay(List.of(), history.lastSeq(), found);
    }
}
