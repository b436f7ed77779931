package org.pushpin.it.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.it.holds.Holds.WAIT;
import static org.pushpin.it.holds.Holds.channel;
import static org.pushpin.it.holds.Holds.sync;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * The build-id content filter (docs/grip.md#build-id); initial-body cases as Pushpin 1.36 renders them (checked on it).
 */
class BuildIdTest {
    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .controlApi()
            .routes("* " + origin.target(), "debug.test,debug " + origin.target())
            .build();

    private static Reply hold(String a, String b, String body, String... meta) {
        Reply r = Reply.status(200).header("Content-Type", "text/plain").header("Grip-Hold", "stream")
                .header("Grip-Channel", a + "; prev-id=abc; filter=build-id")
                .header("Grip-Channel", b + "; prev-id=xyz; filter=build-id")
                .header("Grip-Link", "</bid/next>; rel=next; timeout=60");
        for (String m : meta) {
            r.header("Grip-Set-Meta", m);
        }
        return r.body(body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "named id           | X%(c2)IY      | id_format=\"%(a)s-%(b)s\" |                  | Xc2Y",
        "hex encoding, %%   | X%(hello)IY%%Z | id_format=\"%(a)s-%(b)s\" | id_encoding=hex  | X68656c6c6fY%Z",
        "no ids in the body | nothing       | id_format=x              |                  | nothing",
    })
    void theInitialBodyIsRendered(String name, String body, String meta1, String meta2, String expected)
            throws Exception {
        String path = "/bid/" + name.replace(' ', '-').replace("%", "");
        origin.on(path, meta2 == null ? hold("a", "b", body, meta1) : hold("a", "b", body, meta1, meta2));
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get(path))) {
            s.awaitText(t -> t.equals(expected), WAIT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no id_format | X%(c1)IY | | build-id: no sub meta 'id_format'",
        "no default id | X%IY    | id_format=\"%(a)s-%(b)s\" | build-id: No ID specified and no default ID in context at position 2",
    })
    void anUnrenderableInitialBodyEndsTheStreamAndDebugSaysWhy(String name, String body, String meta,
                                                              String error) throws Exception {
        String path = "/bid/err-" + name.replace(' ', '-');
        origin.on(path, meta == null ? hold("a", "b", body) : hold("a", "b", body, meta));
        try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get(path).host("debug.test"))) {
            assertThat(s.awaitEnd(WAIT)).as("the stream ends: " + s).isTrue();
            assertThat(s.text()).isEqualTo("\n\nfilter error: " + error + "\n");
        }
    }

    @Test
    void publishedContentGetsTheDefaultIdBuiltFromTheItemsId() throws Exception {
        String a = channel("bid-a");
        String b = channel("bid-b");
        origin.on("/bid/publish", hold(a, b, "open\n", "id_format=\"%(" + a + ")s/%(" + b + ")s\""));
        origin.on("/bid/plain", Holds.stream("", a, b));
        Publish pub = pushpin.publisher();
        // A plain stream holds both channels first: the build-id stream is then not their first subscriber, so
        // it does not fetch its next link ~1 s later (docs/grip.md#next-links) while the test publishes.
        try (HeldStream plain = HeldStream.open(pushpin.httpPort(), Req.get("/bid/plain"))) {
            sync(pub, a, plain);
            sync(pub, b, plain);
            try (HeldStream s = HeldStream.open(pushpin.httpPort(), Req.get("/bid/publish"))) {
                s.awaitText(t -> t.startsWith("open\n"), WAIT);
                sync(pub, a, plain, s);
                pub.publish(Publish.item(a).id("i5").noSeq().stream("P[%I] Q[%(t)I]\n"));
                s.awaitSinceMark(t -> t.equals("P[i5/xyz] Q[t]\n"), WAIT);
            }
        }
    }
}
