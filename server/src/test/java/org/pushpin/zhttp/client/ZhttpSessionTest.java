package org.pushpin.zhttp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pushpin.tnet.TnetString;
import org.pushpin.zhttp.ZhttpResponsePacket;
import org.pushpin.zhttp.ZhttpType;

/** The requesting side's policy, driven by hand: packets in, packets out, time given rather than waited for. */
class ZhttpSessionTest {
    static final long EXPIRE = 60_000;
    final List<Map<String, Object>> firsts = new ArrayList<>();
    final List<Map<String, Object>> sent = new ArrayList<>();
    final List<String> heard = new ArrayList<>();

    final ZhttpSession.Wire wire = new ZhttpSession.Wire() {
        @Override
        public boolean first(byte[] packet) {
            firsts.add(parse(packet));
            return true;
        }

        @Override
        public void to(byte[] address, byte[] packet) {
            assertThat(new String(address, StandardCharsets.ISO_8859_1)).isEqualTo("svc");
            sent.add(parse(packet));
        }
    };

    final ZhttpListener listener = new ZhttpListener() {
        @Override
        public void onHead(int code, String reason, List<Map.Entry<String, String>> headers) {
            heard.add("head " + code + " " + reason);
        }

        @Override
        public void onBody(byte[] body, boolean last) {
            heard.add("body " + body.length + (last ? " last" : ""));
        }

        @Override
        public void onFailure(ZhttpFailure failure, String detail) {
            heard.add(failure + " " + detail);
        }
    };

    static Map<String, Object> parse(byte[] packet) {
        try {
            return TnetString.parseDict(packet, 1, packet.length - 1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.ISO_8859_1);
    }

    ZhttpSession session(boolean requestMode, int bodyBytes) {
        ZhttpSession s = new ZhttpSession("me".getBytes(StandardCharsets.ISO_8859_1),
                "1".getBytes(StandardCharsets.ISO_8859_1), requestMode,
                new ZhttpRequestSpec("POST", "http://h/", List.of(), new byte[bodyBytes], true), listener, EXPIRE);
        assertThat(wire.first(s.firstPacket(0))).isTrue();
        return s;
    }

    static ZhttpResponsePacket data(int seq, int code, int bodyBytes, boolean more, int credits) {
        return new ZhttpResponsePacket("svc".getBytes(StandardCharsets.ISO_8859_1),
                List.of(new ZhttpResponsePacket.Id("1".getBytes(StandardCharsets.ISO_8859_1), seq)), ZhttpType.DATA,
                null, credits, more, code, "OK", List.of(), new byte[bodyBytes]);
    }

    static ZhttpResponsePacket of(int seq, ZhttpType type, int credits) {
        return new ZhttpResponsePacket("svc".getBytes(StandardCharsets.ISO_8859_1),
                List.of(new ZhttpResponsePacket.Id("1".getBytes(StandardCharsets.ISO_8859_1), seq)), type,
                type == ZhttpType.ERROR ? "remote-connection-failed" : null, credits, false, -1, null, null,
                new byte[0]);
    }

    @Test
    void aStreamRequestGivesAWindowAndCreditsBackWhatWasTaken() {
        ZhttpSession s = session(false, 0);
        assertThat(firsts.get(0)).containsEntry("credits", 200_000L).containsEntry("stream", true)
                .containsEntry("seq", 0L);
        s.onPacket(data(0, 200, 100, true, -1), 0, 1, wire);
        s.credit(100, wire);
        assertThat(sent).hasSize(1);
        assertThat(text(sent.get(0).get("type"))).isEqualTo("credit");
        assertThat(sent.get(0)).containsEntry("credits", 100L).containsEntry("seq", 1L);
        s.onPacket(data(1, 0, 5, false, -1), 1, 2, wire);
        assertThat(heard).containsExactly("head 200 OK", "body 100", "body 5 last");
        assertThat(s.done()).isTrue();
    }

    @Test
    void aBodyOverTheWindowWaitsForTheServicesCredits() {
        ZhttpSession s = session(false, 450_000);
        assertThat((byte[]) firsts.get(0).get("body")).hasSize(200_000);
        assertThat(firsts.get(0)).containsEntry("more", true);
        s.onPacket(of(0, ZhttpType.CREDIT, 150_000), 0, 1, wire);
        assertThat(sent).hasSize(1);
        assertThat((byte[]) sent.get(0).get("body")).hasSize(150_000);
        s.onPacket(of(1, ZhttpType.CREDIT, 500_000), 1, 2, wire);
        assertThat(sent).hasSize(2);
        assertThat((byte[]) sent.get(1).get("body")).hasSize(100_000);
        assertThat(sent.get(1)).doesNotContainKey("more").containsEntry("seq", 2L);
    }

    @Test
    void anAnswerOutOfSequenceIsCancelled() {
        ZhttpSession s = session(false, 0);
        s.onPacket(data(0, 200, 1, true, -1), 0, 1, wire);
        s.onPacket(data(5, 0, 1, true, -1), 5, 2, wire);
        assertThat(text(sent.get(sent.size() - 1).get("type"))).isEqualTo("cancel");
        assertThat(heard.get(heard.size() - 1)).startsWith("PROTOCOL").contains("out of sequence");
        assertThat(s.done()).isTrue();
    }

    @Test
    void keepAlivesGoOutWhileTheSessionLivesAndSilenceEndsIt() {
        ZhttpSession s = session(false, 0);
        s.onPacket(data(0, 200, 1, true, -1), 0, 1_000, wire);
        s.tick(45_000, wire);
        assertThat(sent).isEmpty();
        s.tick(46_000, wire);
        assertThat(sent).hasSize(1);
        assertThat(text(sent.get(0).get("type"))).isEqualTo("keep-alive");
        s.tick(61_000, wire);
        assertThat(heard.get(heard.size() - 1)).isEqualTo("UNREACHABLE " + ZhttpSession.UNREACHABLE);
    }

    @Test
    void aRequestModeAnswerMustBeWhole() {
        ZhttpSession s = session(true, 3);
        assertThat(firsts.get(0)).doesNotContainKeys("seq", "stream", "credits")
                .containsEntry("max-size", 1_000_000L).containsEntry("ignore-policies", true);
        s.onPacket(data(-1, 200, 10, true, -1), -1, 1, wire);
        assertThat(heard).containsExactly("PROTOCOL Error: zhttp service's answer in request mode is not one "
                + "whole response.");
        assertThat(sent).as("request mode has no address to cancel at").isEmpty();
    }

    @Test
    void anErrorEndsTheSessionWithItsCondition() {
        ZhttpSession s = session(false, 0);
        s.onPacket(of(0, ZhttpType.ERROR, -1), 0, 1, wire);
        assertThat(heard).containsExactly("PROTOCOL Error: zhttp service answered with error "
                + "remote-connection-failed.");
        assertThat(sent).as("no cancel for an error").isEmpty();
    }

    @Test
    void aCancelledSessionTellsTheServiceOnce() {
        ZhttpSession s = session(false, 0);
        s.onPacket(data(0, 200, 1, true, -1), 0, 1, wire);
        s.cancel(wire);
        s.cancel(wire);
        s.onPacket(data(1, 0, 1, true, -1), 1, 2, wire);
        assertThat(sent).hasSize(1);
        assertThat(text(sent.get(0).get("type"))).isEqualTo("cancel");
        assertThat(heard).containsExactly("head 200 OK", "body 1");
    }
}
