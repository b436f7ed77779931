package org.pushpin.proxy;

/**
 * Where a GRIP instruction from the origin goes: the seam between proxying and holding. The proxy detects and
 * parses the instruction; an implementation decides what the client gets: the holds package (a layer above, which
 * the composition root plugs in here) turns holds into response and stream holds, while {@link RelayGripHandoff}
 * answers every instruction as Pushpin answers one without a hold. Called on the client connection's event loop.
 */
@FunctionalInterface
public interface GripHandoff {
    void accept(GripExchange exchange);
}
