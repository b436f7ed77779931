package org.pushpin.publish;

/**
 * One way publishes come in (the HTTP control API; later ZeroMQ PULL/SUB and the command socket). The composition
 * root starts each configured input with the one {@link Publisher}, and closes it before the event loops stop.
 * An input owns its sockets and threads; it parses its wire format into items and hands them over, nothing more.
 */
public interface Input extends AutoCloseable {
    /** A short name for logs ("http control", "zmq pull"). */
    String name();

    /** Stops taking publishes; what was handed over already is delivered. Must not throw. */
    @Override
    void close();
}
