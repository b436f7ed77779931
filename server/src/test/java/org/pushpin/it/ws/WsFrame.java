package org.pushpin.it.ws;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One frame as a test peer saw it (a copy: the Netty frame is released at once).
 *
 * @param type  text, binary, continuation, ping, pong or close
 * @param code  a close frame's status code (-1: none)
 */
record WsFrame(String type, boolean fin, byte[] data, int code, String reason) {
    static WsFrame of(WebSocketFrame f) {
        try {
            String type = f instanceof TextWebSocketFrame ? "text"
                    : f instanceof BinaryWebSocketFrame ? "binary"
                    : f instanceof ContinuationWebSocketFrame ? "continuation"
                    : f instanceof PingWebSocketFrame ? "ping"
                    : f instanceof PongWebSocketFrame ? "pong" : "close";
            if (f instanceof CloseWebSocketFrame c) {
                int code = c.statusCode();
                return new WsFrame(type, true, new byte[0], code, code < 0 ? "" : c.reasonText());
            }
            return new WsFrame(type, f.isFinalFragment(), ByteBufUtil.getBytes(f.content()), -1, null);
        } finally {
            f.release();
        }
    }

    String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return type + (fin ? "" : "(more)") + (type.equals("close") ? "[" + code + " " + reason + "]"
                : "[" + (type.equals("binary") ? data.length + " bytes" : text()) + "]");
    }
}
