package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.Map;

/**
 * {@code [runner] allow_compression} (Pushpin 1.37): {@code permessage-deflate} with WebSocket clients that offer it,
 * as Pushpin's connection manager does on the client side (origins are spoken to uncompressed either way). Off by
 * default: a deflate context costs tens of kilobytes per connection (docs/websocket.md#1-passthrough).
 *
 * <p>Messages from the client may be compressed; messages to it are compressed except published ones, which are
 * encoded once for every receiver and go out as uncompressed messages (which the extension allows: RSV1 unset).
 */
final class ClientCompression {
    /** Immutable; one for every connection. */
    private static final WebSocketDecoderConfig FROM_CLIENT = WebSocketDecoderConfig.newBuilder()
            .expectMaskedFrames(true).allowMaskMismatch(false).allowExtensions(true)
            .maxFramePayloadLength(ClientWebSocketHandler.MAX_FRAME).closeOnProtocolViolation(true).build();

    /** Inflated messages are held to the frame limit too, so a small compressed frame cannot become a large one. */
    private static final PerMessageDeflateServerExtensionHandshaker HANDSHAKER =
            new PerMessageDeflateServerExtensionHandshaker(6, false, 15, false, false,
                    WebSocketExtensionFilterProvider.DEFAULT, ClientWebSocketHandler.MAX_FRAME);

    private ClientCompression() {
    }

    /** The extension agreed from the client's offers, or null when it offered none we accept. */
    static WebSocketServerExtension negotiate(HttpHeaders request) {
        String offered = request.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return null;
        }
        for (WebSocketExtensionData data : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension ext = HANDSHAKER.handshakeExtension(data);
            if (ext != null) {
                return ext;
            }
        }
        return null;
    }

    /** The response header value for the agreed extension. */
    static String responseValue(WebSocketServerExtension ext) {
        WebSocketExtensionData data = ext.newReponseData();
        StringBuilder sb = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            sb.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                sb.append('=').append(p.getValue());
            }
        }
        return sb.toString();
    }

    static WebSocketDecoderConfig decoderConfig() {
        return FROM_CLIENT;
    }
}
