package org.pushpin.hold;

import java.util.Objects;
import org.pushpin.grip.HoldMode;
import org.pushpin.hub.Hub;
import org.pushpin.proxy.GripExchange;
import org.pushpin.proxy.GripHandoff;
import org.pushpin.proxy.RelayGripHandoff;

/**
 * The holds' side of the GRIP seam: an instruction with a hold becomes a {@link ResponseHold} or a
 * {@link StreamHold} subscribed through the {@link Hub}; one without is relayed as Pushpin relays it.
 */
public final class HoldHandoff implements GripHandoff {
    private final Hub hub;
    private final RelayGripHandoff relay = new RelayGripHandoff();

    public HoldHandoff(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    public void accept(GripExchange exchange) {
        HoldMode mode = exchange.instruct().holdMode();
        switch (mode) {
            case RESPONSE -> new ResponseHold(exchange, hub).start();
            case STREAM -> new StreamHold(exchange, hub).start();
            default -> relay.accept(exchange);
        }
    }
}
