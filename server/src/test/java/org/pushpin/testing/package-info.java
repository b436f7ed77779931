/**
 * Support for integration tests that run a real pushpin-java server on real sockets.
 *
 * <ul>
 *   <li>{@link org.pushpin.testing.PushpinServerExtension}: writes {@code pushpin.conf} and {@code routes}, starts
 *       the server (in this JVM, in a child JVM, or the reference Pushpin 1.36) and stops it;</li>
 *   <li>{@link org.pushpin.testing.TestOrigin}: a real origin that records what it receives and answers per path
 *       with a {@link org.pushpin.testing.Reply}; {@link org.pushpin.testing.RawOrigin}: a misbehaving one;</li>
 *   <li>{@link org.pushpin.testing.RawClient} and {@link org.pushpin.testing.Req}: exact bytes on the wire, for
 *       what ordinary clients cannot express;</li>
 *   <li>{@link org.pushpin.testing.ScriptProcess}: clients and origins nobody here wrote (npm {@code ws},
 *       {@code @fanoutio/grip}, python3-websockets) run as child processes from {@code src/test/node} and
 *       {@code src/test/python}, talking JSON lines;</li>
 *   <li>{@link org.pushpin.testing.LeakCheck}: fails a test class on any Netty leak report (PARANOID), registered
 *       for every test class through {@code META-INF/services} and {@code junit-platform.properties}.</li>
 * </ul>
 *
 * <p>Checking the tests themselves against the reference Pushpin 1.36 (installed from Debian):
 * {@code mvn -pl server test -Dtest='org.pushpin.it.*Test' -Dpushpin.it.server=reference}. Tests that
 * deliberately differ from 1.36 (where it breaks RFC 9112) skip themselves in that mode and say why.
 * {@code -Dpushpin.it.keepDirs=true} keeps each server's directory (config, routes, log) for a look afterwards.
 */
package org.pushpin.testing;
