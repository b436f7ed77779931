package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;
import org.pushpin.testing.TestOrigin;

/**
 * Listening sockets (docs/configuration.md#runner-keys): several http ports, IPv6, TLS with SNI certificates, unix
 * sockets.
 */
@Timeout(30)
class ListenersTest {
    static final SelfSignedCert DEFAULT_CERT = SelfSignedCert.generate("default-cert");
    static final SelfSignedCert SNI_CERT = SelfSignedCert.generate("sni.test");
    static final SelfSignedCert WILDCARD_CERT = SelfSignedCert.generate("*.wild.test");

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .httpPorts("127.0.0.1:0", "127.0.0.1:0")
            .httpsPorts("127.0.0.1:0")
            .defaultTlsCertificate(DEFAULT_CERT)
            .tlsCertificate("sni.test", SNI_CERT)
            .tlsCertificate("_.wild.test", WILDCARD_CERT)
            .localPorts("pushpin.sock")
            .routes("*,ssl=yes,header=X-Route:tls " + origin.target(),
                    "*,header=X-Route:plain " + origin.target())
            .build();

    @Test
    void everyHttpPortServes() throws Exception {
        assertThat(pushpin.httpAddresses()).hasSize(2);
        assertThat(pushpin.httpAddresses().get(0).getPort()).isNotEqualTo(pushpin.httpAddresses().get(1).getPort());
        for (InetSocketAddress address : pushpin.httpAddresses()) {
            try (RawClient c = RawClient.connect(new InetSocketAddress("127.0.0.1", address.getPort()))) {
                RawResponse resp = c.exchange(Req.get("/listen/http"));
                assertThat(resp.status()).isEqualTo(200);
            }
        }
        assertThat(origin.requestsTo("/listen/http")).hasSize(2)
                .allSatisfy(r -> assertThat(r.headers("X-Route")).containsExactly("plain"));
    }

    @Test
    void httpsServesWithTheDefaultCertificateWithoutSni() throws Exception {
        assertThat(pushpin.httpsAddresses()).hasSize(1);
        try (RawClient c = RawClient.connectTls(pushpin.httpsPort(), null)) {
            assertThat(peerName(c)).isEqualTo("CN=default-cert");
            RawResponse resp = c.exchange(Req.get("/listen/https"));
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("origin GET /listen/https");
            // keep-alive works over TLS too
            assertThat(c.exchange(Req.get("/listen/https-2")).status()).isEqualTo(200);
        }
        assertThat(origin.awaitRequest("/listen/https").headers("X-Route")).as("ssl=yes route")
                .containsExactly("tls");
    }

    @ParameterizedTest(name = "SNI {0} -> {1}")
    @CsvSource({"sni.test, CN=sni.test", "SNI.Test, CN=sni.test", "a.wild.test, CN=*.wild.test",
            "unknown.test, CN=default-cert"})
    void sniPicksTheHostCertificate(String sni, String expectedSubject) throws Exception {
        try (RawClient c = RawClient.connectTls(pushpin.httpsPort(), sni)) {
            assertThat(peerName(c)).isEqualTo(expectedSubject);
            assertThat(c.exchange(Req.get("/listen/sni").host(sni)).status()).isEqualTo(200);
        }
    }

    @Test
    void unixSocketServes() throws Exception {
        try (RawClient c = RawClient.connectUnix(pushpin.localPort(0))) {
            RawResponse resp = c.exchange(Req.get("/listen/unix"));
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("origin GET /listen/unix");
            assertThat(c.exchange(Req.get("/listen/unix-2")).status()).isEqualTo(200);
        }
        assertThat(origin.awaitRequest("/listen/unix").headers("X-Route")).containsExactly("plain");
    }

    @Test
    void ipv6LoopbackListenerServes() throws Exception {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback here");
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .httpPorts("[::1]:0")
                .proxy("x_forwarded_for", "truncate:0,append")
                .routes("* " + origin.target())
                .start()) {
            InetSocketAddress bound = server.httpAddresses().get(0);
            assertThat(bound.getAddress()).isInstanceOf(Inet6Address.class);
            try (RawClient c = RawClient.connect(new InetSocketAddress("::1", bound.getPort()))) {
                assertThat(c.exchange(Req.get("/listen/v6")).status()).isEqualTo(200);
            }
            assertThat(origin.awaitRequest("/listen/v6").headers("X-Forwarded-For")).containsExactly("::1");
            // bound to ::1 only
            assertThat(canConnect(new InetSocketAddress("127.0.0.1", bound.getPort()))).isFalse();
        }
    }

    private static String peerName(RawClient c) throws Exception {
        return ((X509Certificate) c.sslSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static boolean ipv6LoopbackAvailable() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canConnect(InetSocketAddress address) {
        try (RawClient c = RawClient.connect(address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
