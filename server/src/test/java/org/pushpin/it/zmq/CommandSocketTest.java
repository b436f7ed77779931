package org.pushpin.it.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.tnet.TnetString;

/**
 * The command socket (ZRPC over ROUTER) with libzmq clients (python3-zmq REQ and DEALER): every method, its error
 * answers, and what is left unanswered. The answers were taken from 1.36 and the tests pass against both servers.
 */
@Timeout(60)
class CommandSocketTest {
    static final int PULL = PushpinServerExtension.freeLocalPort();
    static final int SUB = PushpinServerExtension.freeLocalPort();
    static final int COMMAND = PushpinServerExtension.freeLocalPort();
    static ScriptProcess req;
    static ScriptProcess dealer;

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .handlerTcpSpec("push_in_spec", PULL)
            .handlerTcpSpec("push_in_sub_specs", SUB)
            .handlerTcpSpec("command_spec", COMMAND)
            .routes("* test")
            .build();

    @BeforeAll
    static void clients() throws Exception {
        req = ScriptProcess.pythonZmq("zmq_peer.py", "req", "tcp://127.0.0.1:" + COMMAND);
        req.expect("ready");
        dealer = ScriptProcess.pythonZmq("zmq_peer.py", "dealer", "tcp://127.0.0.1:" + COMMAND);
        dealer.expect("ready");
    }

    @AfterAll
    static void stop() {
        if (req != null) {
            req.close();
        }
        if (dealer != null) {
            dealer.close();
        }
    }

    private static Map<String, Object> request(String id, String method, Map<String, Object> args) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (id != null) {
            r.put("id", id);
        }
        r.put("method", method);
        if (args != null) {
            r.put("args", args);
        }
        return r;
    }

    /** One request over REQ; the reply as a tnetstring dict. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(Map<String, Object> request) throws Exception {
        req.send(Map.of("op", "send", "parts", List.of(HexFormat.of().formatHex(TnetString.encode(request)))));
        JsonNode reply = req.expect("reply");
        byte[] payload = HexFormat.of().parseHex(reply.get("parts").get(0).asText());
        return (Map<String, Object>) TnetString.parse(payload);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    @Test
    void getZmqUrisNamesTheSocketsAsConfigured() throws Exception {
        Map<String, Object> r = call(request("1", "get-zmq-uris", null));
        assertThat(r.get("success")).isEqualTo(true);
        assertThat(text(r.get("id"))).isEqualTo("1");
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) r.get("value");
        assertThat(text(v.get("publish-pull"))).isEqualTo("tcp://127.0.0.1:" + PULL);
        assertThat(text(v.get("publish-sub"))).isEqualTo("tcp://127.0.0.1:" + SUB);
        assertThat(text(v.get("command"))).isEqualTo("tcp://127.0.0.1:" + COMMAND);
    }

    @Test
    void anUnknownMethodIsMethodNotFound() throws Exception {
        Map<String, Object> r = call(request("2", "nope", null));
        assertThat(r.get("success")).isEqualTo(false);
        assertThat(text(r.get("condition"))).isEqualTo("method-not-found");
        assertThat(text(r.get("id"))).isEqualTo("2");
    }

    @Test
    void aRequestWithoutAnIdGetsAReplyWithoutOne() throws Exception {
        Map<String, Object> r = call(request(null, "recover", null));
        assertThat(r).containsOnlyKeys("value", "success");
        assertThat(r.get("success")).isEqualTo(true);
        assertThat(r.get("value")).isNull();
    }

    @Test
    void publishTakesItemsAndAnswersFormatErrorsAsBadRequest() throws Exception {
        Map<String, Object> ok = call(request("3", "publish", Map.of("items", List.of(Map.of("channel", "c",
                "formats", Map.of("http-stream", Map.of("content", "hi")))))));
        assertThat(ok.get("success")).isEqualTo(true);
        assertThat(ok).containsEntry("value", null);

        Map<String, Object> bad = call(request("4", "publish", Map.of("items", List.of(Map.of("channel", "c")))));
        assertThat(bad.get("success")).isEqualTo(false);
        assertThat(text(bad.get("condition"))).isEqualTo("bad-request");
        assertThat(text(bad.get("value"))).isEqualTo("Invalid format: no formats specified");

        Map<String, Object> none = call(request("5", "publish", Map.of()));
        assertThat(text(none.get("value"))).isEqualTo("Invalid format: object does not contain 'items'");
    }

    @Test
    void conncheckReportsNoUnknownIdAndWantsIds() throws Exception {
        Map<String, Object> r = call(request("6", "conncheck", Map.of("ids", List.of("a", "b"))));
        assertThat(r.get("success")).isEqualTo(true);
        assertThat((List<?>) r.get("value")).isEmpty();
        Map<String, Object> bad = call(request("7", "conncheck", Map.of()));
        assertThat(text(bad.get("condition"))).isEqualTo("bad-request");
    }

    @Test
    void refreshByChannelIsTakenAndAnUnknownConnectionIsItemNotFound() throws Exception {
        assertThat(call(request("8", "refresh", Map.of("channel", "x"))).get("success")).isEqualTo(true);
        Map<String, Object> r = call(request("9", "refresh", Map.of("cid", "nobody")));
        assertThat(r.get("success")).isEqualTo(false);
        assertThat(text(r.get("condition"))).isEqualTo("item-not-found");
    }

    @Test
    void aDealerGetsItsReplyBehindTheEmptyDelimiterAndBadRequestsAreNotAnswered() throws Exception {
        String empty = "";
        List<String> bad = new ArrayList<>();
        bad.add(HexFormat.of().formatHex("garbage".getBytes(StandardCharsets.US_ASCII)));
        bad.add(HexFormat.of().formatHex(TnetString.encode(List.of("x"))));
        bad.add(HexFormat.of().formatHex(TnetString.encode(Map.of("id", "no-method"))));
        bad.add(HexFormat.of().formatHex(("T" + new String(TnetString.encode(request("t", "recover", null)),
                StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII)));
        for (String b : bad) {
            dealer.send(Map.of("op", "send", "parts", List.of(empty, b)));
            dealer.expect("sent");
        }
        // without the delimiter: not answered either
        dealer.send(Map.of("op", "send", "parts",
                List.of(HexFormat.of().formatHex(TnetString.encode(request("nodelim", "recover", null))))));
        dealer.expect("sent");
        dealer.send(Map.of("op", "send", "parts",
                List.of(empty, HexFormat.of().formatHex(TnetString.encode(request("good", "recover", null))))));
        dealer.expect("sent");
        JsonNode reply = dealer.expect("reply");
        assertThat(reply.get("parts").get(0).asText()).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) TnetString.parse(
                HexFormat.of().parseHex(reply.get("parts").get(1).asText()));
        assertThat(text(r.get("id"))).as("the first reply is the good request's").isEqualTo("good");
    }
}
