package org.pushpin.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A response head as it arrives on a client connection: collects bytes up to the blank line (once per response,
 * so Strings are fine), then gives the status and the body's framing. The bytes after the head stay in the
 * caller's buffer.
 */
final class ResponseHead {
    private static final ByteBuf HEAD_END = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    private static final int MAX_HEAD = 16 * 1024;

    private ByteBuf bytes;
    private int status;
    private long contentLength = -1;
    private boolean chunked;

    /**
     * Takes head bytes from {@code in}; true once the head is complete (then {@link #status()} etc. tell it).
     * Throws when the head grows over 16 KiB or is no HTTP/1.1 response.
     */
    boolean read(ByteBufAllocator alloc, ByteBuf in) {
        if (bytes == null) {
            bytes = alloc.heapBuffer(256);
        }
        int before = bytes.writerIndex();
        bytes.writeBytes(in, Math.min(in.readableBytes(), MAX_HEAD - before));
        int end = ByteBufUtil.indexOf(HEAD_END, bytes);
        if (end < 0) {
            if (bytes.writerIndex() >= MAX_HEAD) {
                throw new IllegalStateException("response head over " + MAX_HEAD + " bytes");
            }
            return false;
        }
        int length = end + HEAD_END.readableBytes();
        in.readerIndex(in.readerIndex() - (bytes.writerIndex() - length)); // give back the body bytes
        String text = bytes.toString(0, length, StandardCharsets.ISO_8859_1);
        release();
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            throw new IllegalStateException("not an HTTP/1.1 response: " + text.lines().findFirst().orElse(""));
        }
        status = Integer.parseInt(text.substring(9, 12));
        String lower = text.toLowerCase(Locale.ROOT);
        chunked = lower.contains("\r\ntransfer-encoding: chunked");
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int from = at + "\r\ncontent-length:".length();
            contentLength = Long.parseLong(lower.substring(from, lower.indexOf('\r', from)).trim());
        } else {
            contentLength = -1;
        }
        return true;
    }

    int status() {
        return status;
    }

    /** The declared body length; -1 when none was declared (chunked, or until the close). */
    long contentLength() {
        return contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /** Frees the bytes of a head still arriving (the connection ended). */
    void release() {
        if (bytes != null) {
            bytes.release();
            bytes = null;
        }
    }
}
