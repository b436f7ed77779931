package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.publishUntilAnswered;
import static org.pushpin.it.holds.Holds.response;
import static org.pushpin.it.holds.Holds.stream;
import static org.pushpin.it.holds.Holds.sync;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.OriginRequest;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The {@code http-check} and {@code http-modify} filters of Pushpin's 2.0 work ({@code [handler] http_filters=true},
 * docs/grip.md#http-filters) as the client and the filter endpoint see them.
 */
class HttpFiltersTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .handler("http_filters", "true")
            .routes("* " + origin.target())
            .build();

    @RegisterExtension
    @Order(3)
    static final PushpinServerExtension off = PushpinServerExtension.builder()
            .controlApi()
            .routes("* " + origin.target())
            .build();

    @RegisterExtension
    @Order(4)
    static final PushpinServerExtension debug = PushpinServerExtension.builder()
            .controlApi()
            .handler("http_filters", "true")
            .proxy("debug", "true")
            .routes("* " + origin.target())
            .build();

    @BeforeEach
    void endpoints() {
        // drops what the publisher marked, lets the rest through unchanged
        origin.on("/hf/check", r -> r.header("Pub-Meta").orElse("").contains("\"drop\"")
                ? Reply.status(200).header("Action", "drop") : Reply.status(204));
        // upper-cases the content
        origin.on("/hf/upper", r -> Reply.status(200).body(r.bodyText().toUpperCase(Locale.ROOT)));
        origin.on("/hf/fail", r -> Reply.status(500).body("no"));
    }

    @Test
    void checkDropsWhatTheEndpointSaysAndPassesTheRest() throws Exception {
        String ch = channel("hf-check");
        origin.on("/hf/s/check", stream("", ch + "; filter=http-check")
                .header("Grip-Set-Meta", "url=\"/hf/check\", user=al"));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/hf/s/check"))) {
            sync(pub, ch, s);
            pub.publish(Publish.item(ch).meta("kind", "drop").stream("secret\n"),
                    Publish.item(ch).meta("kind", "keep").stream("public\n"));
            assertThat(s.awaitSinceMark(t -> t.contains("public\n"), WAIT)).isEqualTo("public\n");
        }
        OriginRequest call = origin.requestsTo("/hf/check").get(origin.requestsTo("/hf/check").size() - 1);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.body()).isEmpty();
        assertThat(call.header("Sub-Meta")).hasValue("{\"url\":\"/hf/check\",\"user\":\"al\"}");
        assertThat(call.header("Pub-Meta")).hasValue("{\"kind\":\"keep\"}");
    }

    @Test
    void modifyReplacesTheContentOfStreamsAndLongPolls() throws Exception {
        String ch = channel("hf-modify");
        String plain = channel("hf-plain");
        origin.on("/hf/s/modify", stream("", ch + "; filter=http-modify", plain)
                .header("Grip-Set-Meta", "url=/hf/upper"));
        origin.on("/hf/p/modify", response(ch + "; filter=http-modify", "timeout\n")
                .header("Grip-Set-Meta", "url=/hf/upper"));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/hf/s/modify"))) {
            sync(pub, plain, s);
            pub.stream(ch, "hello\n");
            assertThat(s.awaitSinceMark(t -> t.contains("HELLO\n"), WAIT)).isEqualTo("HELLO\n");
        }
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/hf/p/modify"));
            RawResponse r = publishUntilAnswered(pub, c, Publish.item(ch).response("answer\n"));
            assertThat(r.bodyText()).isEqualTo("ANSWER\n");
        }
        assertThat(origin.requestsTo("/hf/upper").get(0).body()).isEqualTo("hello\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void failingFilterDropsTheItemOnly() throws Exception {
        String ch = channel("hf-fail");
        String good = channel("hf-good");
        origin.on("/hf/s/fail", stream("", ch + "; filter=http-check", good).header("Grip-Set-Meta", "url=/hf/fail"));
        Publish pub = pushpin.publisher();
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/hf/s/fail"))) {
            sync(pub, good, s);
            pub.publish(Publish.item(ch).stream("lost\n"), Publish.item(good).stream("after\n"));
            // queued behind the failed call, in order, and the stream stays open
            assertThat(s.awaitSinceMark(t -> t.contains("after\n"), WAIT)).isEqualTo("after\n");
            assertThat(s.ended()).isFalse();
        }
    }

    @Test
    void inDebugModeAFailingFilterEndsTheStreamWithTheReason() throws Exception {
        String ch = channel("hf-debug");
        String good = channel("hf-debug-good");
        origin.on("/hf/s/debug", stream("", ch + "; filter=http-check", good).header("Grip-Set-Meta", "url=/hf/fail"));
        Publish pub = debug.publisher();
        try (HeldStream s = HeldStream.open(debug.httpPort(), Req.get("/hf/s/debug"))) {
            sync(pub, good, s);
            pub.stream(ch, "lost\n");
            assertThat(s.awaitEnd(WAIT)).isTrue();
            assertThat(s.sinceMark()).isEqualTo("\n\nfilter error: unexpected network request status: code=500\n");
        }
    }

    @Test
    void offByDefaultTheNamesAreIgnoredAsIn136() throws Exception {
        String ch = channel("hf-off");
        origin.on("/hf/s/off", stream("", ch + "; filter=http-modify").header("Grip-Set-Meta", "url=/hf/upper"));
        int before = origin.requestsTo("/hf/upper").size();
        Publish pub = off.publisher();
        try (HeldStream s = HeldStream.open(off.httpPort(), Req.get("/hf/s/off"))) {
            sync(pub, ch, s);
            pub.stream(ch, "plain\n");
            assertThat(s.awaitSinceMark(t -> t.contains("plain\n"), WAIT)).isEqualTo("plain\n");
        }
        assertThat(origin.requestsTo("/hf/upper")).hasSize(before);
    }
}
