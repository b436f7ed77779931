package org.pushpin.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The lenient conversions Pushpin 1.36 (Qt 5) applies to published JSON values, reproduced because they decide
 * whether an item is accepted: {@code QVariant::toInt}, {@code QString::toLongLong} and
 * {@code QByteArray::fromBase64} without error checking.
 */
final class QtConvert {

    private QtConvert() {
    }

    /**
     * {@code QVariant::canConvert<int>() ? toInt()} for a JSON value: numbers are rounded half away from zero the
     * way {@code qRound64} does, then truncated to 32 bits (so 4294967496 becomes 200); booleans are 0/1; strings
     * are parsed as decimal integers (0 when unparseable). Null, arrays and objects cannot convert: null.
     */
    static Integer toInt(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue() ? 1 : 0;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return (int) v.longValue();
        }
        if (v.isNumber()) {
            return (int) qRound64(v.doubleValue());
        }
        if (v.isTextual()) {
            return (int) toLongLong(v.textValue());
        }
        return null;
    }

    /** {@code qRound64}, with x86's conversion of out-of-range doubles to {@code Long.MIN_VALUE}. */
    static long qRound64(double d) {
        if (d >= 0.0) {
            return x86Long(d + 0.5);
        }
        long dm1 = x86Long(d - 1);
        return x86Long(d - dm1 + 0.5) + dm1;
    }

    private static long x86Long(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** {@code QString::toLongLong(&ok, 10)} with ok ignored: trimmed, optional sign, decimal digits; else 0. */
    static long toLongLong(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isQtSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isQtSpace(s.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return 0;
        }
        boolean negative = false;
        char first = s.charAt(start);
        if (first == '+' || first == '-') {
            negative = first == '-';
            start++;
        }
        if (start == end) {
            return 0;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            try {
                value = Math.addExact(Math.multiplyExact(value, 10), negative ? -(c - '0') : c - '0');
            } catch (ArithmeticException e) {
                return 0;
            }
        }
        return value;
    }

    /** {@code QChar::isSpace}. */
    private static boolean isQtSpace(char c) {
        if ((c >= '\t' && c <= '\r') || c == ' ' || c == 0x85 || c == 0xA0) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * {@code QByteArray::fromBase64(s)} in its default, forgiving mode: characters outside the alphabet (padding
     * included) are skipped, and trailing bits that do not make a byte are dropped. Pushpin accepts
     * {@code "!!!"} as an empty body, so we must too.
     */
    static byte[] fromBase64(String s) {
        return org.pushpin.qt.QtBase64.decode(s);
    }

}
