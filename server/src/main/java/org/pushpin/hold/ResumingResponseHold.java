package org.pushpin.hold;

import org.pushpin.grip.Channel;
import org.pushpin.hub.HistoryReplay;
import org.pushpin.hub.ResumeGate;
import org.pushpin.hub.Subscriber;
import org.pushpin.proxy.GripExchange;
import org.pushpin.timer.TimerWheel;

/**
 * A long-poll whose origin gave a {@code prev-id} while history is on (docs/history.md): when the history holds
 * that id and a later {@code http-response} item, the client gets that item at once instead of waiting. It
 * subscribes (through a {@link ResumeGate}) before asking the history, so a publish racing with the lookup is
 * neither lost nor answered out of order. When the history does not hold the id, it goes on as Pushpin 1.36's:
 * a channel whose last id differs from the prev-id makes it ask the origin again.
 */
final class ResumingResponseHold extends ResponseHold {
    private final ResumeGate gate;

    ResumingResponseHold(GripExchange exchange, HoldContext context) {
        super(exchange, context);
        this.gate = new ResumeGate(this);
    }

    static boolean hasPrevId(GripExchange exchange) {
        for (Channel c : exchange.instruct().channels()) {
            if (c.prevId() != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    Subscriber subscriber() {
        return gate;
    }

    @Override
    void start() {
        exchange.hold();
        subscribe();
        TimerWheel.of(loop).schedule(this, exchange.instruct().timeout() * 1000L);
        // The prev-ids line up with the instruction's channels, the first entries of channels
        String[] prevIds = new String[channels.length];
        int i = 0;
        for (Channel c : exchange.instruct().channels()) {
            prevIds[i++] = c.prevId();
        }
        // asked once the broker has the subscription: a history shared through it (Redis) then holds every item
        // the subscription will not bring (in-process, that is at once)
        context.hub.whenInForce(loop, channels,
                () -> context.hub.history().nextAfter(loop, channels, prevIds, this::fromHistory));
    }

    private void fromHistory(HistoryReplay r) {
        gate.replay(r);
        if (!r.found() && !ended() && lastIdMismatch()) {
            update();
        }
    }
}
