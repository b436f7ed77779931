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

    /**
     * RFC 9112 §3: a request line with a target holding anything but visible ASCII (control characters, DEL, raw
     * non-ASCII bytes) or an HTTP-name not exactly {@code HTTP} is invalid: 400, rather than a target the origin may
     * read otherwise (cut at a NUL, re-encoded).
     */
    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        if (!initialLine[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("invalid HTTP version");
        }
        String target = initialLine[1];
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid request target");
            }
        }
        return super.createMessage(initialLine);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding present");
    }
}
