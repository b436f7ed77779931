package org.pushpin.proxy.sig;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Qt's lenient decoders as Pushpin applies them to key values: {@code QByteArray::fromBase64} (skips any character
 * outside the alphabet, padding included) and {@code QByteArray::fromHex} (skips non-hex characters and pairs
 * digits from the end). Kept here rather than shared so that this package needs nothing from {@code grip}.
 */
final class QtCodec {
    private QtCodec() {
    }

    static byte[] fromBase64(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 3 / 4);
        int buf = 0;
        int bits = 0;
        for (byte b : in) {
            int c = b & 0xff;
            int d = c >= 'A' && c <= 'Z' ? c - 'A'
                    : c >= 'a' && c <= 'z' ? c - 'a' + 26
                    : c >= '0' && c <= '9' ? c - '0' + 52
                    : c == '+' ? 62 : c == '/' ? 63 : -1;
            if (d < 0) {
                continue;
            }
            buf = (buf << 6) | d;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write(buf >> bits);
                buf &= (1 << bits) - 1;
            }
        }
        return out.toByteArray();
    }

    static byte[] fromHex(byte[] in) {
        byte[] out = new byte[(in.length + 1) / 2];
        int pos = out.length;
        boolean low = true;
        for (int i = in.length - 1; i >= 0; i--) {
            int d = Character.digit(in[i] & 0xff, 16);
            if (d < 0 || (in[i] & 0xff) > 0x7f) {
                continue;
            }
            if (low) {
                out[--pos] = (byte) d;
            } else {
                out[pos] |= (byte) (d << 4);
            }
            low = !low;
        }
        return Arrays.copyOfRange(out, pos, out.length);
    }

    /** {@code QByteArray::trimmed}. */
    static byte[] trim(byte[] in) {
        int b = 0;
        int e = in.length;
        while (b < e && isSpace(in[b])) {
            b++;
        }
        while (e > b && isSpace(in[e - 1])) {
            e--;
        }
        return Arrays.copyOfRange(in, b, e);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
