package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The {@code untrusted} target option: requests to such a target may not reach loopback, {@code 10.*},
 * {@code 192.168.*} or {@code *.local} hosts (the deny list 1.36's HTTP client ships; checked side by side:
 * scripts/compare_reference.py, routeopt-untrusted-*), other targets are not affected.
 */
@Timeout(30)
class UntrustedTargetTest {

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    private static final AtomicInteger publicHits = new AtomicInteger();
    /** An origin on this machine's first address outside the deny list, or null when it has none. */
    private static final HttpServer publicOrigin = startPublicOrigin();

    private static HttpServer startPublicOrigin() {
        try {
            return startPublicOrigin0();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpServer startPublicOrigin0() throws java.io.IOException {
        InetAddress addr = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                String s = a.getHostAddress();
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !s.startsWith("10.")
                        && !s.startsWith("192.168.") && addr == null) {
                    addr = a;
                }
            }
        }
        if (addr == null) {
            return null;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(addr, 0), 10);
        server.createContext("/", ex -> {
                publicHits.incrementAndGet();
                byte[] b = "public\n".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
        });
        server.start();
        return server;
    }

    @AfterAll
    static void stopPublicOrigin() {
        if (publicOrigin != null) {
            publicOrigin.stop(0);
        }
    }

    private static String publicTarget() {
        return publicOrigin == null ? "192.0.2.1:1"
                : publicOrigin.getAddress().getAddress().getHostAddress() + ":" + publicOrigin.getAddress().getPort();
    }

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("loopback.test,debug " + origin.target() + ",untrusted " + origin.target(),
                    "by-name.test localhost:" + origin.port() + ",untrusted",
                    "trusted.test " + origin.target(),
                    "ws.test,debug " + origin.target() + ",untrusted",
                    "over-http.test,debug " + origin.target() + ",over_http,untrusted",
                    "public.test,debug " + publicTarget() + ",untrusted",
                    "public-named-local.test,as_host=backend.local " + publicTarget() + ",untrusted")
            .build();

    @Test
    void aLoopbackAddressIsBlockedWithoutFailover() throws Exception {
        int before = origin.requests().size();
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/u").host("loopback.test"));

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).isEqualTo("Error: Origin host/IP blocked.\n");
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void aNameThatResolvesToLoopbackIsBlocked() throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/u").host("by-name.test"));

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.bodyText()).isEqualTo("Error while proxying to origin.\n");
    }

    @Test
    void webSocketsToABlockedTargetAreRefused() throws Exception {
        int before = origin.requests().size();
        for (String host : new String[] {"ws.test", "over-http.test"}) {
            RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/ws").host(host)
                    .header("Upgrade", "websocket").header("Connection", "Upgrade")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13"));
            assertThat(resp.status()).as(host).isEqualTo(502);
        }
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void aTrustedTargetOnTheSameAddressIsNotAffected() throws Exception {
        assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/t").host("trusted.test")).status())
                .isEqualTo(200);
    }

    @Test
    void anAllowedAddressIsReachedAndTheRequestHostIsCheckedToo() throws Exception {
        assumeTrue(publicOrigin != null, "no address outside the deny list on this machine");
        RawResponse ok = RawClient.exchange(pushpin.httpPort(), Req.get("/p").host("public.test"));
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.bodyText()).isEqualTo("public\n");
        int hits = publicHits.get();

        RawResponse named = RawClient.exchange(pushpin.httpPort(), Req.get("/p").host("public-named-local.test"));
        assertThat(named.status()).isEqualTo(502);
        assertThat(publicHits.get()).isEqualTo(hits);
    }
}
