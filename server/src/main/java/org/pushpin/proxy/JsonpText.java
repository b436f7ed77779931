package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written as the inside of a JSON string, the way Pushpin 1.36 (Qt 5) writes them into a JSON-P answer: the
 * bytes are read as UTF-8, each byte of an invalid sequence becoming U+FFFD; {@code "}, {@code \} and control
 * characters are escaped ({@code \b \f \n \r \t}, else {@code \}{@code u00xx}); everything else, non-ASCII included,
 * goes out as UTF-8. (Qt stops at a NUL byte; it is escaped here instead.)
 */
final class JsonpText {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonpText() {
    }

    /**
     * Appends the readable bytes of {@code in} to {@code out}, escaped, and consumes them. With {@code more}, a
     * UTF-8 sequence cut off at the end is left unread in {@code in}, to be completed by the next part of the body.
     */
    static void append(ByteBuf out, ByteBuf in, boolean more) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            int b = in.getByte(i) & 0xff;
            if (b < 0x80) {
                escapeAscii(out, b);
                i++;
                continue;
            }
            int n = sequenceLength(in, i, end);
            if (n > 0) {
                out.writeBytes(in, i, n);
                i += n;
            } else if (n == 0 && more) {
                break; // a valid start, cut off: wait for the rest
            } else {
                out.writeBytes(REPLACEMENT);
                i++;
            }
        }
        in.readerIndex(i);
    }

    /** Appends a byte string (one octet per char, as Netty holds header values) as a quoted JSON string. */
    static void appendQuoted(ByteBuf out, String byteString) {
        out.writeByte('"');
        ByteBuf in = out.alloc().buffer(byteString.length());
        try {
            in.writeCharSequence(byteString, StandardCharsets.ISO_8859_1);
            append(out, in, false);
        } finally {
            in.release();
        }
        out.writeByte('"');
    }

    private static void escapeAscii(ByteBuf out, int b) {
        switch (b) {
            case '"' -> out.writeByte('\\').writeByte('"');
            case '\\' -> out.writeByte('\\').writeByte('\\');
            case '\b' -> out.writeByte('\\').writeByte('b');
            case '\f' -> out.writeByte('\\').writeByte('f');
            case '\n' -> out.writeByte('\\').writeByte('n');
            case '\r' -> out.writeByte('\\').writeByte('r');
            case '\t' -> out.writeByte('\\').writeByte('t');
            default -> {
                if (b < 0x20) {
                    out.writeByte('\\').writeByte('u').writeByte('0').writeByte('0')
                            .writeByte(HEX[b >> 4]).writeByte(HEX[b & 0xf]);
                } else {
                    out.writeByte(b);
                }
            }
        }
    }

    /**
     * The length of the well-formed UTF-8 sequence of 2 to 4 bytes at {@code i}; 0 when it is a valid beginning cut
     * off by {@code end}; -1 when it is invalid (overlong, a surrogate, above U+10FFFF, a stray continuation byte).
     */
    private static int sequenceLength(ByteBuf in, int i, int end) {
        int b = in.getByte(i) & 0xff;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3;
            lo = b == 0xE0 ? 0xA0 : 0x80;
            hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4;
            lo = b == 0xF0 ? 0x90 : 0x80;
            hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        for (int k = 1; k < n; k++) {
            if (i + k >= end) {
                return 0;
            }
            int c = in.getByte(i + k) & 0xff;
            if (k == 1 ? c < lo || c > hi : c < 0x80 || c > 0xBF) {
                return -1;
            }
        }
        return n;
    }
}
