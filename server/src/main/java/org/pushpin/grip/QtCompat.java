package org.pushpin.grip;

import java.nio.charset.StandardCharsets;

/**
 * The few lenient conversions Pushpin gets from Qt and that GRIP input depends on: whitespace trimming, integer
 * parsing ({@code QByteArray::toInt}, {@code QString::toLongLong}), base64 decoding that skips bad characters, and
 * the switch between byte strings and text.
 *
 * <p>A <em>byte string</em> is a {@code String} holding one octet per char (ISO-8859-1), which is how Netty's HTTP
 * codec reads and writes header names, values and reasons.
 */
final class QtCompat {
    private QtCompat() {
    }

    /** Qt's notion of whitespace (ASCII space, tab, LF, VT, FF, CR). */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** {@code QByteArray::trimmed}: strips Qt whitespace at both ends (not every char below 0x21 as String.trim). */
    static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    /**
     * A decimal integer with optional surrounding whitespace and sign, as {@code QByteArray::toLongLong} and
     * {@code QString::toLongLong} accept it; null when it is not one or does not fit 64 bits.
     */
    static Long parseLong(String s) {
        String t = trim(s);
        int i = 0;
        boolean neg = false;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            neg = t.charAt(i) == '-';
            i++;
        }
        if (i == t.length()) {
            return null;
        }
        long v = 0;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            try {
                v = Math.addExact(Math.multiplyExact(v, 10), neg ? -(c - '0') : (c - '0'));
            } catch (ArithmeticException overflow) {
                return null;
            }
        }
        return v;
    }

    /** {@code QByteArray::toInt(&ok)}: like {@link #parseLong} but it must fit 32 bits; null when not ok. */
    static Integer parseInt(String s) {
        Long v = parseLong(s);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return null;
        }
        return v.intValue();
    }

    /** {@code qRound64}: halves away from zero. */
    static long round64(double d) {
        return d >= 0.0 ? (long) (d + 0.5) : (long) (d - 0.5);
    }

    /**
     * {@code QByteArray::fromBase64} in its default (non-aborting) mode: characters outside the standard alphabet,
     * padding included, are skipped, and decoding simply goes on.
     */
    static byte[] fromBase64(byte[] in) {
        return org.pushpin.qt.QtBase64.decode(in);
    }


    /** The octets of a byte string. */
    static byte[] octets(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Text encoded as UTF-8 and viewed as a byte string (what Pushpin's {@code toUtf8()} puts on the wire). */
    static String toByteString(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A byte string decoded as UTF-8 ({@code QString::fromUtf8}; malformed input becomes U+FFFD). */
    static String fromUtf8(String byteString) {
        return new String(octets(byteString), StandardCharsets.UTF_8);
    }
}
