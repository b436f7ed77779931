package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.publishUntilAnswered;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * {@code aco} routes and GRIP holds (docs/configuration.md#cross-origin-requests): the answer a long-poll gets, at
 * its timeout or from a publish, carries the CORS headers or is wrapped for JSON-P (in the layout 1.36's handler
 * uses); a stream's head gets the CORS headers and its content is never wrapped.
 */
@Timeout(30)
class CrossOriginHoldTest {
    private static final String ORIGIN = "http://app.example";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("*,path_beg=/aco/,aco " + origin.target(),
                    "*,path_beg=/basic/,aco,jsonp_mode=basic " + origin.target())
            .controlApi()
            .build();

    private static RawClient poll(Req req) throws Exception {
        RawClient c = RawClient.connect(pushpin.httpPort());
        c.send(req);
        return c;
    }

    @Test
    void aPublishedAnswerGetsTheCorsHeadersUnlessItSetsThemItself() throws Exception {
        String ch = channel("cors-lp");
        origin.on("/aco/lp", response(ch, "timeout\n").header("X-Origin", "held"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll(Req.get("/aco/lp").header("Origin", ORIGIN))) {
            RawResponse r = publishUntilAnswered(pub, c, Publish.item(ch).responseJson(
                    "{\"code\": 404, \"headers\": {\"X-Pub\": \"1\", \"Access-Control-Allow-Origin\": \"https://f\"},"
                            + " \"body\": \"published\\n\"}"));

            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("published\n");
            assertThat(r.headers("Access-Control-Allow-Origin")).containsExactly("https://f");
            assertThat(r.header("Access-Control-Expose-Headers")).hasValue("X-Origin, X-Pub");
            assertThat(r.header("Access-Control-Allow-Credentials")).hasValue("true");
        }
    }

    @Test
    void theTimeoutAnswerGetsTheCorsHeaders() throws Exception {
        origin.on("/aco/lpt", response(channel("cors-lpt"), "timed out\n").header("Grip-Timeout", "1"));

        try (RawClient c = poll(Req.get("/aco/lpt").header("Origin", ORIGIN)
                .header("Access-Control-Request-Headers", "X-Z"))) {
            RawResponse r = c.timeout(Duration.ofSeconds(15)).read();

            assertThat(r.bodyText()).isEqualTo("timed out\n");
            assertThat(r.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            assertThat(r.header("Access-Control-Allow-Headers")).hasValue("X-Z");
        }
    }

    @Test
    void aPublishedAnswerToAJsonpLongPollIsWrappedWithItsStatusAndHeaders() throws Exception {
        String ch = channel("jsonp-lp");
        origin.on("/aco/jlp", response(ch, "timeout\n").header("X-Origin", "held"));
        Publish pub = pushpin.publisher();

        try (RawClient c = poll(Req.get("/aco/jlp?callback=cb"))) {
            RawResponse r = publishUntilAnswered(pub, c, Publish.item(ch).responseJson(
                    "{\"code\": 404, \"reason\": \"Nope\", \"headers\": {\"X-Pub\": \"1\", \"X-Origin\": \"\"},"
                            + " \"body\": \"pub \\\"body\\\"\\r\\n\"}"));

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).hasValue("application/javascript");
            assertThat(r.headers("X-Pub")).as("a held answer keeps its headers").containsExactly("1");
            assertThat(r.bodyText()).isEqualTo("/**/cb({\"body\":\"pub \\\"body\\\"\\r\\n\",\"code\":404,"
                    + "\"headers\":{\"Content-Type\":\"text/plain\",\"X-Origin\":\"\",\"X-Pub\":\"1\"},"
                    + "\"reason\":\"Nope\"});\n");
        }
        assertThat(origin.awaitRequest("/aco/jlp").uri()).isEqualTo("/aco/jlp");
    }

    @Test
    void theTimeoutAnswerToABasicJsonpLongPollIsWrapped() throws Exception {
        origin.on("/basic/jlpt", response(channel("jsonp-lpt"), "{\"none\": true}\n").header("Grip-Timeout", "1"));

        try (RawClient c = poll(Req.get("/basic/jlpt?callback=f"))) {
            RawResponse r = c.timeout(Duration.ofSeconds(15)).read();

            assertThat(r.bodyText()).isEqualTo("/**/f({\"none\": true});\n");
            assertThat(r.header("Content-Type")).hasValue("application/javascript");
        }
    }

    @Test
    void aStreamGetsTheCorsHeadersAndIsNotWrappedEvenForJsonp() throws Exception {
        String ch = channel("cors-stream");
        origin.on("/aco/s", stream("open\n", ch).header("X-S", "s"));
        Publish pub = pushpin.publisher();

        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/aco/s?callback=cb")
                .header("Origin", ORIGIN))) {
            s.awaitText("open\n", WAIT);
            Holds.sync(pub, ch, s);
            pub.stream(ch, "one\n");

            assertThat(s.awaitSinceMark(t -> t.contains("one\n"), WAIT)).isEqualTo("one\n");
            assertThat(s.header("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            assertThat(s.header("Access-Control-Expose-Headers")).hasValue("X-S");
            assertThat(s.header("Content-Type")).hasValue("text/plain");
        }
    }
}
