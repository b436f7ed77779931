package org.pushpin.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pushpin.grip.WebSocketEventsException;

/** The rules an over_http origin's answer is read by (docs/websocket.md §3), answer by answer. */
class WsOverHttpResponseTest {

    private static WsOverHttpResponse answer(int status, String body, String... headers) {
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (int i = 0; i < headers.length; i += 2) {
            head.headers().add(headers[i], headers[i + 1]);
        }
        return new WsOverHttpResponse(head, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '~', value = {
        "200 ~ application/websocket-events              ~ true",
        "201 ~ application/websocket-events              ~ false",
        "200 ~ application/websocket-events; charset=utf-8 ~ false",
        "200 ~ Application/WebSocket-Events              ~ false",
        "200 ~ text/plain                                ~ false",
    })
    void onlyA200OfExactlyTheEventsTypeIsEvents(int status, String type, boolean events) {
        assertThat(answer(status, "", "Content-Type", type).isEvents()).isEqualTo(events);
        assertThat(answer(200, "").isEvents()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '~', value = {
        "30    ~ 30",
        "20    ~ 20",
        "19    ~ 20",
        "1     ~ 20",
        "0     ~ -1",
        "-5    ~ -1",
        "x     ~ -1",
        "''    ~ -1",
        "2.5   ~ -1",
        "99999999999 ~ -1",
    })
    void keepAliveIntervalIsRaisedTo20AndAnythingElseTurnsItOff(String value, int seconds) {
        assertThat(answer(200, "", "Keep-Alive-Interval", value).keepAliveInterval()).isEqualTo(seconds);
    }

    @Test
    void withoutTheHeaderTheIntervalStays() {
        assertThat(answer(200, "").keepAliveInterval()).isEqualTo(WsOverHttpResponse.UNCHANGED);
    }

    @Test
    void setMetaSetsReplacesAndDeletes() {
        Map<String, String> meta = answer(200, "", "Set-Meta-User", "alice", "Set-Meta-Room", "r1",
                "Set-Meta-", "ignored", "X-Other", "x").applyMeta(null);
        assertThat(meta).containsExactly(Map.entry("User", "alice"), Map.entry("Room", "r1"));
        meta = answer(200, "", "set-meta-user", "bob", "Set-Meta-Room", "").applyMeta(new LinkedHashMap<>(meta));
        assertThat(meta).containsExactly(Map.entry("user", "bob"));
        assertThat(answer(200, "", "X", "y").setsMeta()).isFalse();
        assertThat(answer(200, "", "SET-META-a", "1").setsMeta()).isTrue();
    }

    @Test
    void theClientsUpgradeHeadersLeavePushpinsOwnOut() {
        var headers = answer(200, "", "Content-Type", "application/websocket-events", "Content-Length", "6",
                "Keep-Alive-Interval", "30", "Set-Meta-User", "alice", "Sec-WebSocket-Extensions", "grip",
                "Connection", "keep-alive", "Transfer-Encoding", "chunked", "X-Kept", "yes",
                "Sec-WebSocket-Protocol", "chat").upgradeHeaders(false, new DefaultHttpHeaders());
        assertThat(headers.names()).containsExactlyInAnyOrder("X-Kept", "Sec-WebSocket-Protocol");
    }

    @Test
    void aTrustedClientThatAskedForTheGripExtensionGetsIt() {
        var r = answer(200, "", "Sec-WebSocket-Extensions", "grip; message-prefix=\"\"");
        var asked = new DefaultHttpHeaders().add("Sec-WebSocket-Extensions", "permessage-deflate, grip");
        assertThat(r.gripExtension()).isNotNull();
        assertThat(r.upgradeHeaders(true, asked).getAll("Sec-WebSocket-Extensions"))
                .containsExactly("grip; message-prefix=\"\"");
        assertThat(r.upgradeHeaders(true, new DefaultHttpHeaders()).contains("Sec-WebSocket-Extensions")).isFalse();
        assertThat(r.upgradeHeaders(false, asked).contains("Sec-WebSocket-Extensions")).isFalse();
        assertThat(answer(200, "", "Sec-WebSocket-Extensions", "other").gripExtension()).isNull();
    }

    @Test
    void aRefusalKeepsStatusHeadersAndAtMost100000BodyBytes() {
        String body = "x".repeat(WsOverHttpResponse.REJECT_BODY_MAX + 10);
        FullHttpResponse r = answer(404, body, "X-Why", "gone", "Transfer-Encoding", "chunked", "Content-Length",
                "999999").rejection(ByteBufAllocator.DEFAULT);
        try {
            assertThat(r.status().code()).isEqualTo(404);
            assertThat(r.headers().get("X-Why")).isEqualTo("gone");
            assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
            assertThat(r.headers().getInt("Content-Length")).isEqualTo(WsOverHttpResponse.REJECT_BODY_MAX);
            assertThat(r.content().readableBytes()).isEqualTo(WsOverHttpResponse.REJECT_BODY_MAX);
        } finally {
            r.release();
        }
    }

    @Test
    void malformedEventsFailWithTheCodecsError() {
        assertThatThrownBy(() -> answer(200, "TEXT zz\r\nx\r\n").events())
                .isInstanceOf(WebSocketEventsException.class);
        assertThatThrownBy(() -> answer(200, "TEXT 9\r\nshort\r\n").events())
                .isInstanceOf(WebSocketEventsException.class);
        assertThatThrownBy(() -> answer(200, "OPEN").events()).isInstanceOf(WebSocketEventsException.class);
    }

    @Property(tries = 500)
    void anyKeepAliveValueGivesOffOrAtLeast20(@ForAll String value) {
        int s;
        try {
            s = answer(200, "", "Keep-Alive-Interval", value.replaceAll("[\\r\\n]", "")).keepAliveInterval();
        } catch (IllegalArgumentException e) {
            return; // a value Netty refuses as a header never came from the wire
        }
        assertThat(s == WsOverHttpResponse.NO_KEEP_ALIVE || s >= WsOverHttpResponse.MIN_KEEP_ALIVE_INTERVAL).isTrue();
    }
}
