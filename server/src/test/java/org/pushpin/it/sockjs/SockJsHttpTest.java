package org.pushpin.it.sockjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;

/**
 * The SockJS endpoint's HTTP side as a client sees it on the wire (docs/websocket.md §8): the info and iframe
 * pages, OPTIONS, the polling transports' frames and their errors, with a WebSocket echo origin (npm {@code ws})
 * behind. Each test uses its own session id.
 */
@Timeout(60)
class SockJsHttpTest {
    private static ScriptProcess origin;
    private static PushpinServerExtension pushpin;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptProcess.node("ws-echo-origin.mjs", List.of("ws"));
        int port = origin.expect("listening").get("port").asInt();
        pushpin = PushpinServerExtension.builder().proxy("sockjs_url", "https://cdn.example/sockjs-9.js")
                .routes("*,sockjs=/sock 127.0.0.1:" + port).start();
    }

    @AfterAll
    static void stop() {
        if (pushpin != null) {
            pushpin.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pushpin.url(path))).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(pushpin.url(path))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(String path, String body) throws Exception {
        return HTTP.send(post(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> poll(String path) {
        return HTTP.sendAsync(post(path, ""), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void infoIframeOptionsAndUnknownPaths() throws Exception {
        HttpResponse<String> info = get("/sock/info", "Origin", "http://app.example");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).matches("\\{\"cookie_needed\":false,\"entropy\":\\d+,\"origins\":\\[\"\\*:\\*\"],"
                + "\"websocket\":true}\n");
        assertThat(info.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
        assertThat(info.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(info.headers().firstValue("Cache-Control")).hasValue(
                "no-store, no-cache, must-revalidate, max-age=0");

        HttpResponse<String> iframe = get("/sock/iframe-abc.html");
        assertThat(iframe.statusCode()).isEqualTo(200);
        assertThat(iframe.body()).contains("<script src=\"https://cdn.example/sockjs-9.js\"></script>");
        assertThat(iframe.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        String etag = iframe.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/sock/iframe.html", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        HttpResponse<String> options = HTTP.send(HttpRequest.newBuilder(URI.create(pushpin.url("/sock/0/o/xhr")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(options.statusCode()).isEqualTo(204);

        for (String p : List.of("/sock/nope", "/sock/0/x/nope", "/sock//x/xhr", "/sock/0/x/xhr_send")) {
            HttpResponse<String> r = send(p, "[\"x\"]");
            assertThat(r.statusCode()).as(p).isEqualTo(404);
            assertThat(r.body()).isEqualTo("Not Found\n");
        }
        assertThat(get("/sock/0/x/xhr").statusCode()).as("a GET does not open an xhr session").isEqualTo(404);
    }

    @Test
    void malformedSendsGetAClearErrorAndTheSessionLivesOn() throws Exception {
        assertThat(send("/sock/0/mal/xhr", "").body()).isEqualTo("o\n");
        for (String bad : List.of("[\"unterminated", "[1]", "{\"a\":\"b\"}", "\"x\"", "", "[\"a\"] trailing",
                "[\"a\",]")) {
            HttpResponse<String> r = send("/sock/0/mal/xhr_send", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).isEqualTo("Payload expected\n");
        }
        HttpResponse<String> big = send("/sock/0/mal/xhr_send", "[\"" + "x".repeat(100_001) + "\"]");
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(big.body()).isEqualTo("Request too large.\n");

        HttpResponse<String> ok = send("/sock/0/mal/xhr_send", "[\"fine\",\"and \\u2028 this\"]");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        // the origin echoes each message on its own: poll until both are back
        StringBuilder got = new StringBuilder();
        while (!got.toString().contains("this")) {
            got.append(send("/sock/0/mal/xhr", "").body());
        }
        assertThat(got.toString()).isIn("a[\"fine\",\"and \\u2028 this\"]\n",
                "a[\"fine\"]\na[\"and \\u2028 this\"]\n");
    }

    @Test
    void aHeldPollIsAnsweredWhenTheOriginSpeaksAndASecondPollIsRefused() throws Exception {
        assertThat(send("/sock/0/held/xhr", "").body()).isEqualTo("o\n");
        // two polls at once: whichever comes second gets the SockJS "another connection" close frame at once,
        // the other is held, and the session is unharmed
        CompletableFuture<HttpResponse<String>> a = poll("/sock/0/held/xhr");
        CompletableFuture<HttpResponse<String>> b = poll("/sock/0/held/xhr");
        CompletableFuture.anyOf(a, b).get(10, TimeUnit.SECONDS);
        CompletableFuture<HttpResponse<String>> refused = a.isDone() ? a : b;
        CompletableFuture<HttpResponse<String>> held = a.isDone() ? b : a;
        assertThat(refused.get().body()).isEqualTo("c[2010,\"Another connection still open\"]\n");
        assertThat(held).isNotDone();
        assertThat(send("/sock/0/held/xhr_send", "[\"wake\"]").body()).isEqualTo("ok");
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("a[\"wake\"]\n");
    }

    @Test
    void aClosedSessionTellsLatePollsItsCloseFrame() throws Exception {
        assertThat(send("/sock/0/closing/xhr", "").body()).isEqualTo("o\n");
        assertThat(send("/sock/0/closing/xhr_send", "[\"close-me\"]").body()).isEqualTo("ok");
        assertThat(send("/sock/0/closing/xhr", "").body()).isEqualTo("c[4001,\"origin says bye\"]\n");
        assertThat(send("/sock/0/closing/xhr", "").body()).isEqualTo("c[4001,\"origin says bye\"]\n");
        assertThat(send("/sock/0/closing/xhr_send", "[\"late\"]").body())
                .isEqualTo("c[4001,\"origin says bye\"]\n");
    }

    @Test
    void streamsCarryFramesInTheirTransportsFramingAndEndAfter128KiB() throws Exception {
        HttpResponse<java.io.InputStream> xhr = HTTP.send(HttpRequest.newBuilder(
                URI.create(pushpin.url("/sock/0/st/xhr_streaming"))).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(xhr.headers().firstValue("Content-Type")).hasValue("application/javascript; charset=UTF-8");
        java.io.InputStream in = xhr.body();
        assertThat(new String(in.readNBytes(2049 + 2))).isEqualTo("h".repeat(2048) + "\no\n");
        String m = "z".repeat(50_000);
        for (int i = 0; i < 3; i++) {
            assertThat(send("/sock/0/st/xhr_send", "[\"" + m + "\"]").body()).isEqualTo("ok");
        }
        // three messages of 50,000 bytes, then the stream has carried 128 KiB and ends: the client polls anew
        String rest = new String(in.readAllBytes());
        assertThat(rest).isEqualTo(("a[\"" + m + "\"]\n").repeat(3));

        HttpResponse<java.io.InputStream> es = HTTP.send(HttpRequest.newBuilder(
                URI.create(pushpin.url("/sock/0/st/eventsource"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(es.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(send("/sock/0/st/xhr_send", "[\"e\"]").body()).isEqualTo("ok");
        String expected = "\r\ndata: a[\"e\"]\r\n\r\n";
        assertThat(new String(es.body().readNBytes(expected.length()))).isEqualTo(expected);
        es.body().close();

        HttpResponse<java.io.InputStream> html = HTTP.send(HttpRequest.newBuilder(
                URI.create(pushpin.url("/sock/0/hf/htmlfile?c=cb"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        byte[] prelude = html.body().readNBytes(1024 + 4);
        assertThat(new String(prelude)).contains("var c = parent.cb;").endsWith("\r\n\r\n");
        String open = "<script>\np(\"o\");\n</script>\r\n";
        assertThat(new String(html.body().readNBytes(open.length()))).isEqualTo(open);
        html.body().close();
        assertThat(get("/sock/0/hf2/htmlfile").statusCode()).as("htmlfile needs its callback").isEqualTo(400);
    }

    @Test
    void jsonpPollsAreWrappedInTheCallback() throws Exception {
        HttpResponse<String> open = get("/sock/0/jp/jsonp?c=cb.x_1");
        assertThat(open.headers().firstValue("Content-Type")).hasValue("application/javascript");
        assertThat(open.body()).isEqualTo("/**/cb.x_1(\"o\");\n");
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(pushpin.url("/sock/0/jp/jsonp_send")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("d=%5B%22j%C3%A9%22%5D")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.body()).isEqualTo("ok");
        assertThat(get("/sock/0/jp/jsonp?callback=cb").body()).isEqualTo("/**/cb(\"a[\\\"j\u00e9\\\"]\");\n");
        assertThat(get("/sock/0/jp2/jsonp").statusCode()).as("no callback").isEqualTo(400);
        assertThat(get("/sock/0/jp3/jsonp?c=alert(1)//").statusCode()).as("not a plain name").isEqualTo(400);
    }
}
