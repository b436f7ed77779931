package org.pushpin.proxy.sig;

import java.util.Arrays;

/**
 * Qt's lenient decoders as Pushpin applies them to key values: {@code QByteArray::fromBase64} (skips any character
 * outside the alphabet, padding included) and {@code QByteArray::fromHex} (skips non-hex characters and pairs
 * digits from the end); base64 comes from the one shared {@link org.pushpin.qt.QtBase64}.
 */
final class QtCodec {
    private QtCodec() {
    }

    static byte[] fromBase64(byte[] in) {
        return org.pushpin.qt.QtBase64.decode(in);
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
