package org.pushpin.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, stricter about framing: a request with both {@code Transfer-Encoding} and
 * {@code Content-Length} is rejected (RFC 9112 §6.3 calls it a likely smuggling attempt) instead of having the
 * length silently dropped, and so are differing duplicate lengths.
 */
final class ClientRequestDecoder extends HttpRequestDecoder {
    ClientRequestDecoder(int maxHeadSize) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxHeadSize)
                .setMaxHeaderSize(maxHeadSize)
                .setMaxChunkSize(65_536)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true));
    }

    /** Whether bytes the client sent beyond the current request wait here, not yet decoded. */
    boolean hasPendingBytes() {
        return internalBuffer().isReadable();
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding present");
    }
}
