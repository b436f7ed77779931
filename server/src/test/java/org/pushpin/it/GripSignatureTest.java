package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Bytes;
import org.pushpin.testing.Jwt;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawClient.Outcome;
import org.pushpin.testing.RawClient.Responded;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The Grip-* side of forwarding (docs/grip.md#requests-to-the-origin, #grip-sig): client Grip-* headers removed,
 * Grip-Sig and Grip-Feature added, per-route signing, and passthrough for trusted clients ({@code upstream_key}) and
 * {@code no_grip} routes.
 */
@Timeout(30)
class GripSignatureTest {
    static final String SIG_KEY = "global-sig-secret";
    static final String UPSTREAM_KEY = "upstream-secret";
    static final String FEATURES = "status, session, link:next, filter:skip-self, filter:skip-users, "
            + "filter:require-sub, filter:build-id, filter:var-subst";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .proxy("sig_key", SIG_KEY)
            .proxy("upstream_key", UPSTREAM_KEY)
            .proxy("x_forwarded_for", "truncate:0,append")
            .proxy("x_forwarded_for_trusted", "append")
            .routes("* " + origin.target(),
                    "route-sig.test,sig_iss=route-iss,sig_key=route-secret " + origin.target(),
                    "half-sig.test,sig_iss=lonely-iss " + origin.target(),
                    "nogrip.test,no_grip " + origin.target())
            .build();

    private static OriginRequest forward(Req req) throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), req);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        List<OriginRequest> all = origin.requests();
        return all.get(all.size() - 1);
    }

    private static List<String> gripHeaderNames(OriginRequest r) {
        return r.headers().stream().map(h -> h.name().toLowerCase(Locale.ROOT))
                .filter(n -> n.startsWith("grip-")).toList();
    }

    private static void assertSignedBy(OriginRequest seen, byte[] key, String iss) {
        assertThat(seen.headers("Grip-Sig")).hasSize(1);
        Jwt.Decoded jwt = Jwt.decodeHs256(seen.header("Grip-Sig").orElseThrow(), key);
        assertThat(jwt.header().path("typ").asText()).isEqualTo("JWT");
        assertThat(jwt.header().path("alg").asText()).isEqualTo("HS256");
        assertThat(jwt.signatureValid()).as("HS256 signature valid with the expected key").isTrue();
        assertThat(jwt.claims().path("iss").asText()).isEqualTo(iss);
        long exp = jwt.claims().path("exp").asLong();
        long expected = Instant.now().getEpochSecond() + 3600;
        assertThat(exp).isBetween(expected - 60, expected + 5);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void gripSigIsAddedAndSignedWithSigKey() throws Exception {
        OriginRequest seen = forward(Req.get("/sig/plain"));

        assertSignedBy(seen, utf8(SIG_KEY), "pushpin");
    }

    @Test
    void gripFeatureListsTheFeaturesOf136() throws Exception {
        assertThat(forward(Req.get("/sig/feature")).headers("Grip-Feature")).containsExactly(FEATURES);
    }

    @Test
    void clientGripHeadersAreRemoved() throws Exception {
        OriginRequest seen = forward(Req.get("/sig/client-grip")
                .header("Grip-Sig", "forged.token.value")
                .header("Grip-Hold", "stream")
                .header("grip-channel", "sneaky")
                .header("GRIP-Last", "sneaky; last-id=1")
                .header("Grip-Feature", "fake")
                .header("Grip-Anything", "x"));

        assertThat(gripHeaderNames(seen)).containsExactlyInAnyOrder("grip-sig", "grip-feature");
        assertThat(seen.headers("Grip-Feature")).containsExactly(FEATURES);
        assertSignedBy(seen, utf8(SIG_KEY), "pushpin");
    }

    @Test
    void routeSigIssAndKeyOverrideTheGlobalPair() throws Exception {
        OriginRequest seen = forward(Req.get("/sig/route").host("route-sig.test"));

        assertSignedBy(seen, utf8("route-secret"), "route-iss");
    }

    @Test
    void routeSigIssAloneDoesNotOverride() throws Exception {
        OriginRequest seen = forward(Req.get("/sig/half").host("half-sig.test"));

        assertSignedBy(seen, utf8(SIG_KEY), "pushpin");
    }

    @Test
    void sigIssAndBase64KeyFromConfig() throws Exception {
        byte[] key = Bytes.random(32, 99);
        try (PushpinServerExtension server = PushpinServerExtension.builder()
                .proxy("sig_iss", "custom-issuer")
                .proxy("sig_key", "base64:" + Base64.getEncoder().encodeToString(key))
                .routes("* " + origin.target())
                .start()) {
            assertThat(RawClient.exchange(server.httpPort(), Req.get("/sig/b64")).status()).isEqualTo(200);
            assertSignedBy(origin.awaitRequest("/sig/b64"), key, "custom-issuer");
        }
    }

    // ------------------------------------------------------------------ trusted clients

    private static String upstreamToken(long expOffsetSeconds, String key) {
        return Jwt.signHs256(Map.of("iss", "someone", "exp", Instant.now().getEpochSecond() + expOffsetSeconds),
                key);
    }

    @Test
    void trustedClientIsPassedThrough() throws Exception {
        String token = upstreamToken(600, UPSTREAM_KEY);
        origin.on("/sig/trusted", Reply.ok("raw").header("Grip-Channel", "passthrough-channel")
                .header("Grip-Custom-Response", "yes"));

        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/sig/trusted")
                .header("Grip-Sig", token)
                .header("Grip-Custom", "from-client")
                .header("X-Forwarded-For", "1.2.3.4"));

        OriginRequest seen = origin.awaitRequest("/sig/trusted");
        assertThat(seen.headers("Grip-Sig")).containsExactly(token);
        assertThat(seen.headers("Grip-Custom")).containsExactly("from-client");
        assertThat(seen.hasHeader("Grip-Feature")).isFalse();
        assertThat(seen.headers("X-Forwarded-For")).as("x_forwarded_for_trusted applies")
                .containsExactly("1.2.3.4, 127.0.0.1");
        // the origin's Grip-* headers reach a trusted client untouched
        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.headers("Grip-Channel")).containsExactly("passthrough-channel");
        assertThat(resp.headers("Grip-Custom-Response")).containsExactly("yes");
        assertThat(resp.bodyText()).isEqualTo("raw");
    }

    @Test
    void expiredSignatureIsNotTrusted() throws Exception {
        assertUntrusted(upstreamToken(-60, UPSTREAM_KEY));
    }

    @Test
    void signatureWithAnotherKeyIsNotTrusted() throws Exception {
        assertUntrusted(upstreamToken(600, "not-the-upstream-key"));
    }

    @Test
    void signatureWithoutExpIsNotTrusted() throws Exception {
        assertUntrusted(Jwt.signHs256(Map.of("iss", "someone"), UPSTREAM_KEY));
    }

    private static void assertUntrusted(String token) throws Exception {
        OriginRequest seen = forward(Req.get("/sig/untrusted")
                .header("Grip-Sig", token)
                .header("Grip-Custom", "from-client")
                .header("X-Forwarded-For", "1.2.3.4"));

        assertThat(seen.headers("Grip-Sig")).doesNotContain(token);
        assertSignedBy(seen, utf8(SIG_KEY), "pushpin");
        assertThat(seen.hasHeader("Grip-Custom")).isFalse();
        assertThat(seen.headers("X-Forwarded-For")).as("x_forwarded_for applies").containsExactly("127.0.0.1");
    }

    @Test
    void noGripRouteIsPassedThrough() throws Exception {
        // a hold instruction that must NOT be obeyed: the client gets the origin's response at once
        origin.on("/sig/nogrip", Reply.ok("not held").header("Grip-Hold", "response")
                .header("Grip-Channel", "never-subscribed"));
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/sig/nogrip").host("nogrip.test").header("Grip-Custom", "from-client"));
            Outcome outcome = c.outcome(Duration.ofSeconds(5));

            assertThat(outcome).isInstanceOf(Responded.class);
            RawResponse resp = ((Responded) outcome).response();
            assertThat(resp.status()).isEqualTo(200);
            assertThat(resp.bodyText()).isEqualTo("not held");
            assertThat(resp.headers("Grip-Hold")).containsExactly("response");
            assertThat(resp.headers("Grip-Channel")).containsExactly("never-subscribed");
        }
        OriginRequest seen = origin.awaitRequest("/sig/nogrip");
        // nothing is added on a no_grip route; the client is still untrusted, so its Grip-* headers are removed
        // (docs/grip.md#passthrough; what 1.36 does)
        assertThat(gripHeaderNames(seen)).isEmpty();
    }
}
