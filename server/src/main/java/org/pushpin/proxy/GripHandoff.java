package org.pushpin.proxy;

/**
 * Where a GRIP instruction from the origin goes: the seam between proxying and holding. The proxy detects and
 * parses the instruction; an implementation decides what the client gets. Until holds exist,
 * {@link RelayGripHandoff} answers as Pushpin answers an instruction without a hold.
 * Called on the client connection's event loop.
 */
@FunctionalInterface
public interface GripHandoff {
    void accept(GripExchange exchange);
}
