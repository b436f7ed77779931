package org.pushpin.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.pushpin.grip.WebSocketEvent;

/** Client frames into events: one per whole message, bounded, batched (docs/websocket.md §3). */
class WsOverHttpOutboxTest {

    private static TextWebSocketFrame text(String s, boolean fin) {
        return new TextWebSocketFrame(fin, 0, Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private static ContinuationWebSocketFrame more(String s, boolean fin) {
        return new ContinuationWebSocketFrame(fin, 0, Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private static String show(List<WebSocketEvent> events) {
        List<String> out = new ArrayList<>();
        for (WebSocketEvent e : events) {
            out.add(e.content() == null ? e.type() : e.type() + "=" + new String(e.content(), StandardCharsets.UTF_8));
        }
        return String.join("|", out);
    }

    @Test
    void fragmentsBecomeOneEventAndControlFramesMayComeBetween() {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        assertThat(box.add(text("ab", false))).isEqualTo(WsOverHttpOutbox.Added.OK);
        assertThat(box.hasMessages()).isFalse();
        box.add(new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8)));
        box.add(more("c", false));
        box.add(new PongWebSocketFrame());
        box.add(more("d", true));
        box.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'x'})));
        assertThat(show(box.take(0))).isEqualTo("PING=p|PONG|TEXT=abcd|BINARY=x");
        assertThat(box.hasMessages()).isFalse();
    }

    @Test
    void aContinuationWithoutAStartOrANewStartInsideAMessageIsAProtocolError() {
        assertThat(new WsOverHttpOutbox().add(more("x", true))).isEqualTo(WsOverHttpOutbox.Added.PROTOCOL_ERROR);
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        box.add(text("a", false));
        assertThat(box.add(text("b", true))).isEqualTo(WsOverHttpOutbox.Added.PROTOCOL_ERROR);
    }

    @Test
    void aMessageOverTheBufferOverflowsEvenInFragments() {
        String half = "x".repeat(WsOverHttpOutbox.BUFFER_SIZE / 2);
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        assertThat(box.add(text(half, false))).isEqualTo(WsOverHttpOutbox.Added.OK);
        assertThat(box.add(more(half, false))).isEqualTo(WsOverHttpOutbox.Added.OK);
        // only part of a message held: no POST can take it, so the client is read on until its end or overflow
        // (pausing here left the client waiting for ever: WsOverHttpFailuresTest hung when the reads split there)
        assertThat(box.hasRoom()).isTrue();
        assertThat(box.add(more("y", true))).isEqualTo(WsOverHttpOutbox.Added.OVERFLOW);
        assertThat(new WsOverHttpOutbox().add(text(half + half + "y", true)))
                .isEqualTo(WsOverHttpOutbox.Added.OVERFLOW);
    }

    @Test
    void readingPausesOnlyWhileAPostCouldMakeRoom() {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        box.add(text("x".repeat(1000), true));
        box.add(text("y".repeat(WsOverHttpOutbox.BUFFER_SIZE - 1000), false));
        assertThat(box.hasRoom()).as("a whole message waits for a POST").isFalse();
        box.take(0);
        assertThat(box.hasRoom()).as("taken: only the part of a message is left").isTrue();
    }

    @Test
    void queuedMessagesCountAgainstTheBufferUntilTaken() {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        String big = "x".repeat(WsOverHttpOutbox.BUFFER_SIZE - 10);
        box.add(text(big, true));
        assertThat(box.add(text("0123456789a", true))).isEqualTo(WsOverHttpOutbox.Added.OVERFLOW);
        assertThat(box.take(0)).hasSize(1);
        assertThat(box.add(text("0123456789a", true))).isEqualTo(WsOverHttpOutbox.Added.OK);
    }

    @Test
    void oneEventTakesOneAndABatchStopsOnceOverTheBuffer() {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        for (String s : List.of("a", "b", "c")) {
            box.add(text(s, true));
        }
        assertThat(show(box.take(1))).isEqualTo("TEXT=a");
        assertThat(show(box.take(0))).isEqualTo("TEXT=b|TEXT=c");
        String third = "x".repeat(WsOverHttpOutbox.BUFFER_SIZE / 3);
        for (int i = 0; i < 3; i++) {
            box.add(text(third, true));
        }
        assertThat(box.take(0)).hasSize(3);
    }

    @Test
    void clearDropsTheMessageStillComing() {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        box.add(text("whole", true));
        box.add(text("part", false));
        box.clear(false);
        assertThat(show(box.take(0))).isEqualTo("TEXT=whole");
        assertThat(box.add(more("late", true))).isEqualTo(WsOverHttpOutbox.Added.PROTOCOL_ERROR);
    }

    /** However messages are cut into frames, the events are the messages, in order, and every frame is released. */
    @Property(tries = 300)
    void anyFragmentationGivesTheSameEvents(@ForAll("messages") List<String> messages, @ForAll("cuts") List<Integer> cuts) {
        WsOverHttpOutbox box = new WsOverHttpOutbox();
        List<WebSocketFrame> sent = new ArrayList<>();
        int c = 0;
        for (String m : messages) {
            int pieces = 1 + cuts.get(c++ % cuts.size()) % Math.max(1, m.length());
            int step = Math.max(1, (m.length() + pieces - 1) / pieces);
            int at = 0;
            do {
                int end = Math.min(m.length(), at + step);
                boolean fin = end == m.length();
                WebSocketFrame f = at == 0 ? text(m.substring(at, end), fin) : more(m.substring(at, end), fin);
                sent.add(f);
                assertThat(box.add(f)).isEqualTo(WsOverHttpOutbox.Added.OK);
                at = end;
            } while (at < m.length());
        }
        List<String> got = new ArrayList<>();
        for (WebSocketEvent e : box.take(0)) {
            got.add(new String(e.content(), StandardCharsets.UTF_8));
        }
        assertThat(got).isEqualTo(messages);
        assertThat(sent).allMatch(f -> f.refCnt() == 0);
    }

    @Provide
    Arbitrary<List<String>> messages() {
        return Arbitraries.strings().alpha().ofMaxLength(40).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 50).list().ofMinSize(1).ofMaxSize(10);
    }
}
