package org.pushpin.broker;

/** The broker's engine (Redis) cannot take a publish now: the publisher is told (HTTP 503), nothing is queued. */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message);
    }
}
