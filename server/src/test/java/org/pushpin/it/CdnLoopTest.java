package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code [proxy] cdn_loop} (Pushpin 1.37): the origin gets one CDN-Loop header with the client's entries and ours
 * last (docs/configuration.md#proxy-keys); without the key the header passes untouched.
 */
@Timeout(30)
class CdnLoopTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .proxy("cdn_loop", "pushpin-test")
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension plain = PushpinServerExtension.builder()
            .routes("* " + origin.target())
            .build();

    private static OriginRequest forward(PushpinServerExtension server, Req req) throws Exception {
        RawResponse resp = RawClient.exchange(server.httpPort(), req);
        assertThat(resp.status()).as("%s", resp).isEqualTo(200);
        return origin.requests().get(origin.requests().size() - 1);
    }

    @Test
    void oursIsAddedAfterTheClientsEntries() throws Exception {
        OriginRequest seen = forward(pushpin, Req.get("/cdn/1")
                .header("CDN-Loop", "a, b ,,")
                .header("cdn-loop", "c; note=\"x, y\""));

        assertThat(seen.headers("CDN-Loop")).containsExactly("a, b, c; note=\"x, y\", pushpin-test");
    }

    @Test
    void aRequestWithoutOneGetsOurs() throws Exception {
        assertThat(forward(pushpin, Req.get("/cdn/2")).headers("CDN-Loop")).containsExactly("pushpin-test");
    }

    @Test
    void withoutTheSettingTheHeaderIsUntouched() throws Exception {
        OriginRequest seen = forward(plain, Req.get("/cdn/3").header("CDN-Loop", "a,b"));

        assertThat(seen.headers("CDN-Loop")).containsExactly("a,b");
    }
}
