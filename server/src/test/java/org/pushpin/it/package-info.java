/**
 * Integration tests of the server core, one class per behaviour, asserting only what a client or the origin can
 * observe on real sockets. They define "done" for listeners, forwarding, the origin pool, routing and the
 * no-hold GRIP relay (spec: {@code docs/compatibility.md}, {@code docs/grip.md}, {@code docs/configuration.md}).
 * {@link org.pushpin.it.LargeTransferTest} is tagged {@code large} (1 GiB each way in a 96 MiB child JVM).
 */
package org.pushpin.it;
