package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * JSON-P on {@code aco} routes (docs/configuration.md#json-p): the request a script tag makes is read as the
 * request it stands for, and the answer is wrapped in the named function, as 1.36 does it.
 */
@Timeout(30)
class JsonpTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("*,path_beg=/basic/,aco,jsonp_mode=basic " + origin.target(),
                    "*,path_beg=/ext/,aco " + origin.target(),
                    "*,path_beg=/bodyp/,aco,jsonp_body=b,jsonp_defcb=dflt,jsonp_cb=fn " + origin.target(),
                    "*,path_beg=/defm/,aco,jsonp_defmethod=PUT " + origin.target())
            .build();

    private static RawResponse get(String target) throws Exception {
        return RawClient.exchange(pushpin.httpPort(), Req.get(target).header("Accept", "text/html")
                .header("Origin", "http://app.example"));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void basicModeCallsTheFunctionWithTheBodyLessItsLastNewline() throws Exception {
        origin.on("/basic/b", Reply.ok("{\"n\": 1}\n").header("Cache-Control", "max-age=5").header("X-No", "1"));

        RawResponse r = get("/basic/b?callback=cb");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("/**/cb({\"n\": 1});\n");
        assertThat(r.header("Content-Type")).hasValue("application/javascript");
        assertThat(r.header("Cache-Control")).as("the one header kept").hasValue("max-age=5");
        assertThat(r.hasHeader("X-No")).isFalse();
        assertThat(r.headers()).as("no CORS on a JSON-P answer")
                .noneMatch(h -> h.name().startsWith("Access-Control-"));
        OriginRequest seen = origin.awaitRequest("/basic/b");
        assertThat(seen.method()).as("basic mode's default method").isEqualTo("POST");
        assertThat(seen.uri()).as("the callback parameter is taken out").isEqualTo("/basic/b");
        assertThat(seen.header("Accept")).hasValue("*/*");
        assertThat(seen.header("Content-Length")).hasValue("0");
    }

    @Test
    void extendedModeCarriesStatusReasonHeadersAndBody() throws Exception {
        origin.on("/ext/e", Reply.status(404, "Not Here").header("Content-Type", "text/plain")
                .header("X-Empty", "").header("X-Dup", "1").header("X-Dup", "2").body("no \"such\" thing\n"));

        RawResponse r = get("/ext/e?x=1&callback=my.cb&y=2");

        assertThat(r.status()).as("a script tag sees no other status").isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("/**/my.cb({\"code\": 404, \"reason\": \"Not Here\", \"headers\": "
                + "{\"Content-Length\":\"16\",\"Content-Type\":\"text/plain\",\"X-Dup\":\"1\",\"X-Empty\":null}, "
                + "\"body\": \"no \\\"such\\\" thing\\n\"});\n");
        OriginRequest seen = origin.awaitRequest("/ext/e");
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.uri()).isEqualTo("/ext/e?x=1&y=2");
    }

    @Test
    void methodHeadersAndBodyComeFromTheQuery() throws Exception {
        origin.on("/ext/m", Reply.ok("m\n"));

        RawResponse r = get("/ext/m?_method=PUT&callback=cb&_headers=" + q("{\"X-A\":\"v\",\"Accept\":\"x\"}")
                + "&_body=" + q("hi there"));

        assertThat(r.status()).isEqualTo(200);
        OriginRequest seen = origin.awaitRequest("/ext/m");
        assertThat(seen.method()).isEqualTo("PUT");
        assertThat(seen.uri()).isEqualTo("/ext/m");
        assertThat(seen.header("X-A")).hasValue("v");
        assertThat(seen.headers("Accept")).containsExactly("*/*");
        assertThat(seen.header("Origin")).as("the client's own headers follow").hasValue("http://app.example");
        assertThat(seen.bodyText()).isEqualTo("hi there");
    }

    @Test
    void theRoutesBodyParameterIsSentAsJsonAndNeedsNoCallback() throws Exception {
        origin.on("/bodyp/p", Reply.ok("p\n"));

        RawResponse r = get("/bodyp/p?b=" + q("{\"a\":1}") + "&z=2");

        assertThat(r.bodyText()).startsWith("/**/dflt({\"code\": 200,");
        OriginRequest seen = origin.awaitRequest("/bodyp/p");
        assertThat(seen.uri()).isEqualTo("/bodyp/p?z=2");
        assertThat(seen.header("Content-Type")).hasValue("application/json");
        assertThat(seen.bodyText()).isEqualTo("{\"a\":1}");

        assertThat(get("/bodyp/p?fn=named").bodyText()).as("the route's callback parameter")
                .startsWith("/**/named(");
    }

    @Test
    void theRoutesDefaultMethodAppliesWithoutMethodParameter() throws Exception {
        origin.on("/defm/d", Reply.ok("d\n"));

        get("/defm/d?callback=c");

        assertThat(origin.awaitRequest("/defm/d").method()).isEqualTo("PUT");
    }

    @Test
    void aCallbackIsUsedAsGivenEvenIfItIsNoIdentifier() throws Exception {
        origin.on("/ext/any", Reply.ok("a\n"));

        assertThat(get("/ext/any?callback=a%20b(").bodyText()).startsWith("/**/a b(({\"code\": 200");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ext/bad?callback=&a=1              | Invalid callback parameter.",
        "/ext/bad?callback                   | Invalid callback parameter.",
        "/ext/bad?callback=cb&_method=       | Invalid _method parameter.",
        "/ext/bad?callback=cb&_headers=%5B1%5D | Invalid _headers parameter.",
        "/ext/bad?callback=cb&_headers=%7B%22X%22%3A1%7D | Invalid _headers parameter.",
        "/ext/bad?callback=cb&_body=         | Invalid _body parameter.",
        "/bodyp/bad?fn=f&b=                  | Invalid body parameter.",
    })
    void aMalformedParameterIsA400WithCorsHeaders(String target, String message) throws Exception {
        RawResponse r = get(target);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo(message + "\n");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("http://app.example");
        assertThat(origin.requestsTo("/ext/bad")).isEmpty();
        assertThat(origin.requestsTo("/bodyp/bad")).isEmpty();
    }

    /** 1.36 sends these on: a request line the origin cannot read, a header line smuggled in by a value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ext/bad?callback=cb&_method=A%20B  | Invalid _method parameter.",
        "/ext/bad?callback=cb&_method=G%2FT  | Invalid _method parameter.",
        "/ext/bad?callback=cb&_headers=%7B%22X%22%3A%22a%0D%0AY%3A%201%22%7D | Invalid _headers parameter.",
        "/ext/bad?callback=cb&_headers=%7B%22X%20Y%22%3A%22a%22%7D | Invalid _headers parameter.",
    })
    void whatCannotBeSentToTheOriginAsItIsIsA400Too(String target, String message) throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "deliberately different from 1.36");
        aMalformedParameterIsA400WithCorsHeaders(target, message);
    }

    @Test
    void onlyAGetIsJsonp() throws Exception {
        origin.on("/ext/post", Reply.ok("posted\n"));

        RawResponse r = RawClient.exchange(pushpin.httpPort(), Req.post("/ext/post?callback=cb").body("x"));

        assertThat(r.bodyText()).isEqualTo("posted\n");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(origin.awaitRequest("/ext/post").uri()).isEqualTo("/ext/post?callback=cb");
    }

    @Test
    void bytesThatAreNoUtf8BecomeReplacementCharactersOneEach() throws Exception {
        byte[] body = {'a', (byte) 0xE2, (byte) 0x82, '|', (byte) 0xFF, '|', (byte) 0xE2, (byte) 0x82, (byte) 0xAC,
            1, 0x7F};
        origin.on("/ext/bin", Reply.status(200).body(body));

        RawResponse r = get("/ext/bin?callback=cb");

        assertThat(r.bodyText()).endsWith("\"body\": \"a\uFFFD\uFFFD|\uFFFD|\u20ac\\u0001\u007f\"});\n");
    }

    /** 300,000 bytes of 2- and 3-byte characters and newlines, sent in chunks whose edges cut characters. */
    private static byte[] largeText() {
        byte[] unit = "é€\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[unit.length * 50_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = unit[i % unit.length];
        }
        return body;
    }

    @Test
    void aLargeBodyIsStreamedInTheCall() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 stalls on this one (its body counting)");
        origin.on("/basic/big", Reply.status(200).body(largeText()).chunked(4097));

        RawResponse basic = get("/basic/big?callback=cb");

        assertThat(basic.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
        byte[] expected = ("/**/cb(" + "é€\n".repeat(50_000 - 1) + "é€);\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.equals(basic.body(), expected)).as("the basic body, less its last newline").isTrue();
    }

    @Test
    void aLargeBodyIsStreamedInTheExtendedObjectAndCharactersCutByChunksSurvive() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 garbles characters cut by a chunk edge");
        origin.on("/ext/big", Reply.status(200).body(largeText()).chunked(4097));

        RawResponse ext = get("/ext/big?callback=cb");

        assertThat(ext.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
        assertThat(ext.bodyText()).isEqualTo("/**/cb({\"code\": 200, \"reason\": \"OK\", \"headers\": {}, \"body\": \""
                + "é€\\n".repeat(50_000) + "\"});\n");
    }
}
