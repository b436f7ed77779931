package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.Header;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.SelfSignedCert;
import org.pushpin.testing.TestOrigin;

/**
 * The headers Pushpin rewrites on the way to the origin and back (docs/grip.md#requests-to-the-origin, X-Forwarded-*
 * in docs/configuration.md#proxy-keys, docs/compatibility.md#same-as-136), except the Grip-* ones
 * ({@link GripSignatureTest}).
 */
@Timeout(30)
class ForwardedHeadersTest {

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(),
                    "target-host.test " + origin.target() + ",host=backend.example:8080",
                    "as-host.test,as_host=virtual.example:9000 " + origin.target(),
                    "route-headers.test,header=X-Set:fixed-value,header=X-Gone: " + origin.target())
            .build();

    private static OriginRequest forward(Req req) throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), req);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        return origin.requests().get(origin.requests().size() - 1);
    }

    private static OriginRequest forward(PushpinServerExtension server, Req req) throws Exception {
        RawResponse resp = RawClient.exchange(server.httpPort(), req);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        return origin.requests().get(origin.requests().size() - 1);
    }

    // ------------------------------------------------------------------ toward the origin

    @Test
    void hopByHopRequestHeadersAreRemoved() throws Exception {
        OriginRequest seen = forward(Req.post("/hdr/hop")
                .header("Connection", "keep-alive")
                .header("Keep-Alive", "timeout=5, max=100")
                .header("Accept-Encoding", "x-client-coding")
                .header("Content-Encoding", "x-client-coding")
                .header("X-Keep", "kept")
                .body("payload"));

        assertThat(seen.hasHeader("Keep-Alive")).isFalse();
        assertThat(seen.hasHeader("Content-Encoding")).isFalse();
        assertThat(Header.tokens(seen.headers(), "Accept-Encoding")).doesNotContain("x-client-coding");
        assertThat(seen.header("X-Keep")).hasValue("kept");
        assertThat(seen.bodyText()).isEqualTo("payload");
    }

    @Test
    void endToEndRequestHeadersKeepTheirOrderAndDuplicates() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/order")
                .header("X-A", "1").header("X-B", "2").header("X-A", "3").header("X-C", "a, b"));

        List<String> relevant = seen.headers().stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).matches("x-[abc]"))
                .map(h -> h.name().toLowerCase(Locale.ROOT) + "=" + h.value()).toList();
        assertThat(relevant).containsExactly("x-a=1", "x-b=2", "x-a=3", "x-c=a, b");
    }

    @Test
    void hostIsTheClients() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/host").host("Some.Host.Test:8080"));

        // 1.36 lower-cases the name; either way it is the client's host and port
        assertThat(seen.headers("Host")).hasSize(1);
        assertThat(seen.header("Host").orElseThrow()).isEqualToIgnoringCase("some.host.test:8080");
    }

    @Test
    void missingHostBecomesLocalhost() throws Exception {
        assertThat(forward(Req.get("/hdr/no-host").noHost()).header("Host")).hasValue("localhost");
        assertThat(forward(Req.get("/hdr/no-host-10").noHost().http10()).header("Host")).hasValue("localhost");
    }

    @Test
    void targetHostPropReplacesHost() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/target-host").host("target-host.test"));

        assertThat(seen.headers("Host")).containsExactly("backend.example:8080");
    }

    @Test
    void routeAsHostReplacesHost() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/as-host").host("as-host.test"));

        assertThat(seen.headers("Host")).containsExactly("virtual.example:9000");
    }

    @Test
    void routeHeaderPropSetsAndRemovesHeaders() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/route-headers").host("route-headers.test")
                .header("X-Set", "from client")
                .header("X-Gone", "from client")
                .header("X-Other", "kept"));

        assertThat(seen.headers("X-Set")).containsExactly("fixed-value");
        assertThat(seen.hasHeader("X-Gone")).isFalse();
        assertThat(seen.header("X-Other")).hasValue("kept");
    }

    @Test
    void routeHeaderPropAddsAHeaderTheClientDidNotSend() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/route-headers-add").host("route-headers.test"));

        assertThat(seen.headers("X-Set")).containsExactly("fixed-value");
    }

    @Test
    void forwardedHeadersPassUntouchedByDefault() throws Exception {
        OriginRequest seen = forward(Req.get("/hdr/xf-default")
                .header("X-Forwarded-For", "1.2.3.4")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Protocol", "https"));

        assertThat(seen.headers("X-Forwarded-For")).containsExactly("1.2.3.4");
        assertThat(seen.headers("X-Forwarded-Proto")).containsExactly("https");
        assertThat(seen.headers("X-Forwarded-Protocol")).containsExactly("https");
    }

    @Test
    void noForwardedForIsAddedByDefault() throws Exception {
        assertThat(forward(Req.get("/hdr/xff-none")).hasHeader("X-Forwarded-For")).isFalse();
    }

    @ParameterizedTest(name = "x_forwarded_for={0}: [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        "truncate:0,append | 1.2.3.4          | 127.0.0.1",
        "truncate:0,append |                  | 127.0.0.1",
        "append            | 1.2.3.4          | 1.2.3.4, 127.0.0.1",
        "append            |                  | 127.0.0.1",
        "truncate:1,append | 1.1.1.1, 2.2.2.2 | 2.2.2.2, 127.0.0.1",
        "truncate:1        | 1.1.1.1, 2.2.2.2 | 2.2.2.2",
    })
    void forwardedForFollowsThePolicy(String policy, String clientValue, String expected) throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("x_forwarded_for", policy)
                .routes("* " + origin.target())
                .start()) {
            Req req = Req.get("/hdr/xff");
            if (clientValue != null) {
                req.header("X-Forwarded-For", clientValue);
            }
            assertThat(forward(server, req).headers("X-Forwarded-For")).containsExactly(expected);
        }
    }

    @Test
    void forwardedForAppendJoinsSeveralClientHeaders() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("x_forwarded_for", "append")
                .routes("* " + origin.target())
                .start()) {
            OriginRequest seen = forward(server, Req.get("/hdr/xff-multi")
                    .header("X-Forwarded-For", "1.1.1.1").header("X-Forwarded-For", "2.2.2.2"));

            assertThat(String.join(", ", seen.headers("X-Forwarded-For")))
                    .isEqualTo("1.1.1.1, 2.2.2.2, 127.0.0.1");
        }
    }

    @ParameterizedTest(name = "set_x_forwarded_protocol={0}")
    @CsvSource({"true, true", "proto-only, false"})
    void forwardedProtocolIsSetForTlsOnlyAndClientCopiesAreRemoved(String mode, boolean alsoProtocol)
            throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("set_x_forwarded_protocol", mode)
                .httpsPorts("127.0.0.1:0")
                .defaultTlsCertificate(SelfSignedCert.generate("localhost"))
                .routes("* " + origin.target())
                .start()) {
            // plain request: nothing added, and what the client sent is removed
            OriginRequest plain = forward(server, Req.get("/hdr/xfp-plain")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Protocol", "https"));
            assertThat(plain.hasHeader("X-Forwarded-Proto")).isFalse();
            assertThat(plain.hasHeader("X-Forwarded-Protocol")).isFalse();

            // TLS request: added
            try (RawClient c = RawClient.connectTls(server.httpsPort(), null)) {
                RawResponse resp = c.exchange(Req.get("/hdr/xfp-tls").header("X-Forwarded-Proto", "ftp"));
                assertThat(resp.status()).isEqualTo(200);
            }
            OriginRequest tls = origin.awaitRequest("/hdr/xfp-tls");
            assertThat(tls.headers("X-Forwarded-Proto")).containsExactly("https");
            if (alsoProtocol) {
                assertThat(tls.headers("X-Forwarded-Protocol")).containsExactly("https");
            } else {
                assertThat(tls.hasHeader("X-Forwarded-Protocol")).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"X-Forwarded-Proto, https", "X-Forwarded-Protocol, https", "X-Forwarded-Proto, wss"})
    void acceptedForwardedProtocolMarksTheRequestAsTls(String header, String value) throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("accept_x_forwarded_protocol", "true")
                .routes("*,ssl=yes,header=X-Route:tls " + origin.target(),
                        "*,header=X-Route:plain " + origin.target())
                .start()) {
            OriginRequest marked = forward(server, Req.get("/hdr/axfp").header(header, value));
            assertThat(marked.headers("X-Route")).containsExactly("tls");
            assertThat(marked.hasHeader(header)).as("client copy removed").isFalse();

            OriginRequest unmarked = forward(server, Req.get("/hdr/axfp-none"));
            assertThat(unmarked.headers("X-Route")).containsExactly("plain");
        }
    }

    @Test
    void forwardedProtocolIsIgnoredForRoutingUnlessAccepted() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("*,ssl=yes,header=X-Route:tls " + origin.target(),
                        "*,header=X-Route:plain " + origin.target())
                .start()) {
            OriginRequest seen = forward(server, Req.get("/hdr/xfp-ignored").header("X-Forwarded-Proto", "https"));
            assertThat(seen.headers("X-Route")).containsExactly("plain");
        }
    }

    @Test
    void pushpinRouteHeaderPicksTheRouteWhenAccepted() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("accept_pushpin_route", "true")
                .routes("*,id=main,header=X-Route:main " + origin.target(),
                        "special.test,id=special,header=X-Route:special " + origin.target())
                .start()) {
            OriginRequest picked = forward(server, Req.get("/hdr/pr").header("Pushpin-Route", "special"));
            assertThat(picked.headers("X-Route")).containsExactly("special");
            assertThat(picked.hasHeader("Pushpin-Route")).isFalse();

            OriginRequest normal = forward(server, Req.get("/hdr/pr-none"));
            assertThat(normal.headers("X-Route")).containsExactly("main");
        }
    }

    @Test
    void pushpinRouteHeaderIsAnOrdinaryHeaderUnlessAccepted() throws Exception {
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .routes("*,id=main,header=X-Route:main " + origin.target(),
                        "special.test,id=special,header=X-Route:special " + origin.target())
                .start()) {
            OriginRequest seen = forward(server, Req.get("/hdr/pr-off").header("Pushpin-Route", "special"));
            assertThat(seen.headers("X-Route")).containsExactly("main");
            assertThat(seen.headers("Pushpin-Route")).containsExactly("special");
        }
    }

    // ------------------------------------------------------------------ toward the client

    @Test
    void hopByHopResponseHeadersAreRemoved() throws Exception {
        origin.on("/hdr/resp-hop", Reply.ok("body").chunked()
                .header("Connection", "keep-alive")
                .header("Keep-Alive", "timeout=5, max=100")
                .header("Content-Encoding", "identity")
                .header("X-End-To-End", "kept"));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/hdr/resp-hop"));

        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.hasHeader("Keep-Alive")).isFalse();
        assertThat(resp.hasHeader("Content-Encoding")).isFalse();
        assertThat(Header.tokens(resp.headers(), "Connection")).doesNotContain("keep-alive");
        assertThat(Header.tokens(resp.headers(), "Transfer-Encoding")).allMatch("chunked"::equals).hasSizeLessThan(2);
        assertThat(resp.header("X-End-To-End")).hasValue("kept");
        assertThat(resp.bodyText()).isEqualTo("body");
    }

    @Test
    void originConnectionCloseDoesNotCloseTheClientConnection() throws Exception {
        origin.on("/hdr/origin-close", Reply.ok("closing").header("Connection", "close"));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            RawResponse first = c.exchange(Req.get("/hdr/origin-close"));
            assertThat(first.bodyText()).isEqualTo("closing");
            assertThat(Header.tokens(first.headers(), "Connection")).doesNotContain("close");

            RawResponse second = c.exchange(Req.get("/hdr/after-origin-close"));
            assertThat(second.bodyText()).isEqualTo("origin GET /hdr/after-origin-close");
        }
    }
}
