package org.pushpin.routing;

/** Where the server reads the current routes table from; reloads replace the table atomically. */
@FunctionalInterface
public interface RouteSource {
    RouteTable current();
}
