package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.Jwt;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The {@code orig_headers} route option and {@code [proxy] orig_headers_need_mark}: the client's headers reach the
 * origin a second time under the {@code eb9bf0f5-} mark (docs/configuration.md#routes-file), as 1.36 does (checked
 * side by side: scripts/compare_reference.py, routeopt-orig-headers).
 */
@Timeout(30)
class OrigHeadersTest {
    private static final String UPSTREAM_KEY = "upstream-secret";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("orig.test,orig_headers,header=X-Route:r,header=X-Gone: " + origin.target(),
                    "* " + origin.target())
            .proxy("orig_headers_need_mark", "Authorization, X-Secret")
            .proxy("upstream_key", UPSTREAM_KEY)
            .build();

    private static OriginRequest forward(Req req) throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), req);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        return origin.requests().get(origin.requests().size() - 1);
    }

    /** The marked headers the origin saw, as "lower-case-name=value", in order. */
    private static List<String> marked(OriginRequest seen) {
        return seen.headers().stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).startsWith("eb9bf0f5-"))
                .map(h -> h.name().toLowerCase(Locale.ROOT) + "=" + h.value()).toList();
    }

    @Test
    void theClientsHeadersAreCopiedUnderTheMarkBeforeTheProxyChangesThem() throws Exception {
        OriginRequest seen = forward(Req.get("/orig/copy").host("orig.test")
                .header("User-Agent", "ua/1")
                .header("Connection", "keep-alive")
                .header("Grip-Channel", "x")
                .header("X-Forwarded-For", "1.2.3.4")
                .header("X-Gone", "g")
                .header("Authorization", "Bearer t")
                .header("X-Secret", "forged")
                .header("eb9bf0f5-X-Secret", "genuine"));

        // Hop-by-hop and Grip-* headers go, X-Forwarded-For gets the client added, but the copies keep what the
        // client sent; the route's header= props apply to the copies too; headers that need the mark get no copy,
        // only the one the client marked itself; Host is the client's.
        assertThat(marked(seen)).containsExactlyInAnyOrder(
                "eb9bf0f5-host=orig.test",
                "eb9bf0f5-user-agent=ua/1",
                "eb9bf0f5-connection=keep-alive",
                "eb9bf0f5-grip-channel=x",
                "eb9bf0f5-x-forwarded-for=1.2.3.4",
                "eb9bf0f5-x-secret=genuine",
                "eb9bf0f5-x-route=r");
        assertThat(seen.hasHeader("Connection")).isFalse();
        assertThat(seen.hasHeader("Grip-Channel")).isFalse();
        assertThat(seen.headers("X-Secret")).containsExactly("forged");
        assertThat(seen.headers("Authorization")).containsExactly("Bearer t");
    }

    @Test
    void withoutTheOptionMarkedHeadersFromTheClientAreDropped() throws Exception {
        OriginRequest seen = forward(Req.get("/plain").header("eb9bf0f5-Authorization", "forged")
                .header("EB9BF0F5-x", "y").header("X-Kept", "k"));

        assertThat(marked(seen)).isEmpty();
        assertThat(seen.header("X-Kept")).hasValue("k");
    }

    @Test
    void aTrustedClientsHeadersPassAsTheyAreWithoutCopies() throws Exception {
        String token = Jwt.signHs256(Map.of("iss", "front", "exp", Instant.now().getEpochSecond() + 600),
                UPSTREAM_KEY);
        OriginRequest seen = forward(Req.get("/orig/trusted").host("orig.test")
                .header("Grip-Sig", token)
                .header("User-Agent", "ua/2")
                .header("eb9bf0f5-Authorization", "from-front"));

        assertThat(marked(seen)).containsExactly("eb9bf0f5-authorization=from-front");
    }
}
