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
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code auto_cross_origin} CORS headers as a browser sees them (docs/configuration.md#cross-origin-requests): added
 * to what the origin answers on an {@code aco} route (preflights included, which the origin answers), to Pushpin's
 * own errors there, to every request with {@code [proxy] auto_cross_origin=true}; never where it is off.
 */
@Timeout(30)
class CrossOriginTest {
    private static final String ORIGIN = "http://app.example";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("*,path_beg=/aco/,aco " + origin.target(),
                    "*,path_beg=/down/,aco 127.0.0.1:" + PushpinServerExtension.freeLocalPort(),
                    "* " + origin.target())
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension global = PushpinServerExtension.builder()
            .routes("only.example " + origin.target())
            .proxy("auto_cross_origin", "true")
            .build();

    private static RawResponse get(PushpinServerExtension server, Req req) throws Exception {
        return RawClient.exchange(server.httpPort(), req);
    }

    @Test
    void aGetWithOriginGetsTheCorsHeadersExposingItsNonSimpleHeaders() throws Exception {
        origin.on("/aco/data", Reply.ok("data\n").header("X-Custom", "a").header("Cache-Control", "no-cache")
                .header("x-custom", "b").header("ETag", "\"e\""));

        RawResponse r = get(pushpin, Req.get("/aco/data").header("Origin", ORIGIN));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("data\n");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(r.header("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.header("Access-Control-Allow-Methods")).hasValue("OPTIONS, HEAD, GET, POST, PUT, DELETE");
        assertThat(r.header("Access-Control-Expose-Headers")).as("simple headers are not listed, names once")
                .hasValue("X-Custom, ETag");
        assertThat(r.header("Access-Control-Max-Age")).hasValue("3600");
        assertThat(r.hasHeader("Access-Control-Allow-Headers")).as("none were asked for").isFalse();
    }

    @Test
    void withoutAnOriginHeaderAnyOriginIsAllowed() throws Exception {
        origin.on("/aco/any", Reply.ok("any\n"));

        RawResponse r = get(pushpin, Req.get("/aco/any"));

        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.hasHeader("Access-Control-Expose-Headers")).isFalse();
    }

    @Test
    void aPreflightGoesToTheOriginAndItsAnswerEchoesTheRequestedMethodAndHeaders() throws Exception {
        origin.on("/aco/pre", Reply.status(204));

        RawResponse r = get(pushpin, Req.of("OPTIONS", "/aco/pre").header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type, ,X-Token")
                .header("Access-Control-Request-Headers", "x-more"));

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Methods")).hasValue("PUT");
        assertThat(r.header("Access-Control-Allow-Headers")).as("every asked name, blanks dropped")
                .hasValue("content-type, X-Token, x-more");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        OriginRequest seen = origin.awaitRequest("/aco/pre");
        assertThat(seen.method()).isEqualTo("OPTIONS");
        assertThat(seen.header("Access-Control-Request-Method")).hasValue("PUT");
    }

    @Test
    void anOddRequestedMethodIsEchoedAsSent() throws Exception {
        origin.on("/aco/odd", Reply.status(204));

        RawResponse r = get(pushpin, Req.of("OPTIONS", "/aco/odd").header("Access-Control-Request-Method", "NOT A"));

        assertThat(r.headers("Access-Control-Allow-Methods")).containsExactly("NOT A");
    }

    @Test
    void whatTheOriginSetsItselfIsKept() throws Exception {
        origin.on("/aco/own", Reply.ok("own\n").header("Access-Control-Allow-Origin", "https://fixed.example")
                .header("access-control-max-age", "60").header("Access-Control-Expose-Headers", "X-Mine"));

        RawResponse r = get(pushpin, Req.get("/aco/own").header("Origin", ORIGIN));

        assertThat(r.headers("Access-Control-Allow-Origin")).containsExactly("https://fixed.example");
        assertThat(r.headers("Access-Control-Max-Age")).containsExactly("60");
        assertThat(r.headers("Access-Control-Expose-Headers")).containsExactly("X-Mine");
        assertThat(r.headers("Access-Control-Allow-Credentials")).containsExactly("true");
    }

    @Test
    void pushpinsOwnErrorGetsThemToo() throws Exception {
        RawResponse r = get(pushpin, Req.get("/down/x").header("Origin", ORIGIN));

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    }

    @Test
    void aRouteWithoutTheOptionIsLeftAlone() throws Exception {
        origin.on("/plain", Reply.ok("plain\n").header("X-Custom", "a"));

        RawResponse r = get(pushpin, Req.get("/plain?callback=cb").header("Origin", ORIGIN));

        assertThat(r.bodyText()).isEqualTo("plain\n");
        assertThat(r.headers()).noneMatch(h -> h.name().startsWith("Access-Control-"));
        assertThat(origin.awaitRequest("/plain").uri()).isEqualTo("/plain?callback=cb");
    }

    @Test
    void theGlobalSettingCoversEveryRequestEvenOneWithoutARoute() throws Exception {
        origin.on("/g", Reply.ok("g\n"));

        RawResponse routed = get(global, Req.get("/g").header("Host", "only.example").header("Origin", ORIGIN));
        RawResponse unrouted = get(global, Req.get("/g").header("Host", "other.example").header("Origin", ORIGIN));

        assertThat(routed.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(unrouted.status()).isEqualTo(502);
        assertThat(unrouted.bodyText()).isEqualTo("No route for host: other.example\n");
        assertThat(unrouted.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    }
}
