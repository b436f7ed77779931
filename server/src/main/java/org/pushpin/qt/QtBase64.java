package org.pushpin.qt;

import java.util.Arrays;

/**
 * {@code QByteArray::fromBase64} in its default, forgiving mode, which Pushpin uses for every base64 input (keys,
 * keep-alive data, published {@code -bin} contents): characters outside the standard alphabet, padding included,
 * are skipped, and trailing bits that do not make a byte are dropped. {@code "!!!"} decodes to nothing rather than
 * failing — Pushpin accepts it, so must we. One implementation for every parser that needs it.
 */
public final class QtBase64 {
    private QtBase64() {
    }

    public static byte[] decode(byte[] in) {
        byte[] out = new byte[in.length * 3 / 4 + 1];
        int n = 0;
        int buf = 0;
        int bits = 0;
        for (byte b : in) {
            int d = sextet(b & 0xff);
            if (d < 0) {
                continue;
            }
            buf = (buf << 6) | d;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (buf >> bits);
                buf &= (1 << bits) - 1;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The same for text; characters above U+00FF are outside the alphabet and skipped. */
    public static byte[] decode(CharSequence in) {
        byte[] bytes = new byte[in.length()];
        int n = 0;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c < 0x100) {
                bytes[n++] = (byte) c;
            }
        }
        return decode(Arrays.copyOf(bytes, n));
    }

    private static int sextet(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }
}
