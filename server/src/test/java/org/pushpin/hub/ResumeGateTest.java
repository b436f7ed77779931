package org.pushpin.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pushpin.message.Action;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;

/**
 * The gate with a history shared through the broker: live items de-duplicated against the replay by item id,
 * whether their live copy came before the replay (held back) or after it (the answers travel apart).
 */
class ResumeGateTest {
    private static Published item(String id) {
        PublishItem item = new PublishItem("ch", id, null, Map.of(), false, 1, null,
                new HttpStreamFormat(Action.SEND, new byte[] {'x'}, List.of()), null);
        return new Published(item, new DeliveryKind<?>[0], 0);
    }

    private static final class Seen implements Subscriber {
        final List<String> ids = new ArrayList<>();

        @Override
        public void deliver(String channel, Published published) {
            ids.add(published.item().id());
        }
    }

    @Test
    void liveCopiesOfReplayedItemsGoOutOnceWhenTheyComeBeforeOrAfterTheReplay() {
        Seen seen = new Seen();
        ResumeGate gate = new ResumeGate(seen);
        gate.deliver("ch", item("7")); // published after the gate subscribed, read by the lookup too
        gate.deliver("ch", item("9")); // published after the lookup
        gate.replay(new HistoryReplay(List.of(item("6"), item("7"), item("8")), Long.MIN_VALUE, true,
                Set.of("6", "7", "8")));
        gate.deliver("ch", item("8")); // its live copy came after the lookup's answer
        gate.deliver("ch", item("10"));

        assertThat(seen.ids).containsExactly("6", "7", "8", "9", "10");
    }

    @Test
    void aMissDeliversWhatWaitedAndEveryLiveItem() {
        Seen seen = new Seen();
        ResumeGate gate = new ResumeGate(seen);
        gate.deliver("ch", item("1"));
        gate.replay(new HistoryReplay(List.of(), Long.MIN_VALUE, false, Set.of()));
        gate.deliver("ch", item("2"));

        assertThat(seen.ids).containsExactly("1", "2");
    }
}
