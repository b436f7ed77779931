package org.pushpin.grip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * GRIP header value syntax, as Pushpin 1.36 reads it (docs/grip.md#header-value-syntax).
 *
 * <p>A value is {@code token; name=value; name="quoted \" value"; flag}. The token runs up to the first {@code ;}
 * (quotes are not special there) and is trimmed; parameter names are trimmed and matched case-insensitively; an
 * unquoted value runs to the next {@code ;} and is trimmed; a quoted value ends at the closing quote, with
 * {@code \x} standing for {@code x}, and anything between the closing quote and the next {@code ;} is ignored. A
 * parameter without {@code =} has a null value. An unterminated quote or a trailing backslash makes the whole entry
 * unparseable: lists skip such entries and single lookups act as if the header were absent (Pushpin does the same,
 * silently).
 *
 * <p>Several header instances, and commas outside quotes within one instance, give several entries. Grip-Hold,
 * Grip-Timeout, Grip-Keep-Alive and Grip-Status use only the first instance, unsplit ({@link #first},
 * {@link #parseFirst}).
 *
 * <p>Names and values are byte strings (one char per octet), as Netty's codec delivers them.
 */
public final class HeaderValueParser {
    private HeaderValueParser() {
    }

    /** One {@code name[=value]} item; {@code value} is null when there was no {@code =}. */
    public record Param(String name, String value) {
    }

    /**
     * One parsed entry. In the usual mode {@code params().get(0)} is the leading token with a null value; in the
     * all-parameters mode (Grip-Set-Meta) the first item is a {@code name=value} pair like the others.
     */
    public record Entry(List<Param> params) {
        public Entry {
            params = List.copyOf(params);
        }

        /** The leading token (the first item's name), or "" for an empty entry. */
        public String token() {
            return params.isEmpty() ? "" : params.get(0).name();
        }

        /** Whether an item has this name (case-insensitive), with or without a value. */
        public boolean has(String name) {
            for (Param p : params) {
                if (p.name().equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        /** The value of the first item with this name (case-insensitive); null if absent or valueless. */
        public String get(String name) {
            for (Param p : params) {
                if (p.name().equalsIgnoreCase(name)) {
                    return p.value();
                }
            }
            return null;
        }
    }

    /** The raw value of the first instance of a header (case-insensitive name), or null when absent. */
    public static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Whether any instance of the header is present (case-insensitive name). */
    public static boolean contains(List<Map.Entry<String, String>> headers, String name) {
        return first(headers, name) != null;
    }

    /** Every instance of the header, each split on unquoted commas, each part trimmed (empty parts kept). */
    public static List<String> values(List<Map.Entry<String, String>> headers, String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.addAll(splitCommas(h.getValue()));
            }
        }
        return out;
    }

    /** Every entry of the header: all instances, comma-split, parsed; unparseable entries are skipped. */
    public static List<Entry> parseAll(List<Map.Entry<String, String>> headers, String name) {
        return parseAll(headers, name, false);
    }

    /** As {@link #parseAll(List, String)}; with {@code allParams} the first item is a {@code name=value} too. */
    public static List<Entry> parseAll(List<Map.Entry<String, String>> headers, String name, boolean allParams) {
        List<Entry> out = new ArrayList<>();
        for (String part : values(headers, name)) {
            Entry e = parse(part, allParams);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first instance of the header parsed whole (no comma split); null if absent, empty or unparseable. */
    public static Entry parseFirst(List<Map.Entry<String, String>> headers, String name) {
        String v = first(headers, name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return parse(v, false);
    }

    /** Splits on commas outside double quotes; parts are trimmed. A broken quote ends splitting there. */
    public static List<String> splitCommas(String in) {
        List<String> parts = new ArrayList<>();
        int pos = 0;
        while (pos < in.length()) {
            int end = indexOfUnquoted(in, ',', pos);
            if (end < 0) {
                parts.add(QtCompat.trim(in.substring(pos)));
                break;
            }
            parts.add(QtCompat.trim(in.substring(pos, end)));
            pos = end + 1;
        }
        return parts;
    }

    /**
     * Parses one entry. Returns null when a quoted value is unterminated or ends in a lone backslash.
     *
     * @param allParams false: the text up to the first {@code ;} is a bare token; true: it is a parameter too
     */
    public static Entry parse(String in, boolean allParams) {
        List<Param> out = new ArrayList<>();
        int start = 0;
        if (!allParams) {
            int semi = in.indexOf(';');
            out.add(new Param(QtCompat.trim(semi < 0 ? in : in.substring(0, semi)), null));
            start = semi < 0 ? in.length() : semi + 1;
        }
        while (start < in.length()) {
            int at = indexOfAny(in, start);
            if (at < 0) {
                out.add(new Param(QtCompat.trim(in.substring(start)), null));
                break;
            }
            String name = QtCompat.trim(in.substring(start, at));
            if (in.charAt(at) == ';') {
                out.add(new Param(name, null));
                start = at + 1;
                continue;
            }
            at++;
            String value;
            if (at < in.length() && in.charAt(at) == '"') {
                StringBuilder sb = new StringBuilder();
                int close = -1;
                for (int n = at + 1; n < in.length(); n++) {
                    char c = in.charAt(n);
                    if (c == '\\') {
                        if (++n >= in.length()) {
                            return null;
                        }
                        sb.append(in.charAt(n));
                    } else if (c == '"') {
                        close = n;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (close < 0) {
                    return null;
                }
                value = sb.toString();
                int semi = in.indexOf(';', close + 1);
                start = semi < 0 ? in.length() : semi + 1;
            } else {
                int semi = in.indexOf(';', at);
                value = QtCompat.trim(semi < 0 ? in.substring(at) : in.substring(at, semi));
                start = semi < 0 ? in.length() : semi + 1;
            }
            out.add(new Param(name, value));
        }
        return new Entry(Collections.unmodifiableList(out));
    }

    /** Index of {@code c} outside quotes from {@code from}; length if none; -1 on a broken quote or escape. */
    private static int indexOfUnquoted(String in, char c, int from) {
        boolean quoted = false;
        for (int n = from; n < in.length(); n++) {
            char i = in.charAt(n);
            if (quoted) {
                if (i == '\\') {
                    if (++n >= in.length()) {
                        return -1;
                    }
                } else if (i == '"') {
                    quoted = false;
                }
            } else if (i == '"') {
                quoted = true;
            } else if (i == c) {
                return n;
            }
        }
        return quoted ? -1 : in.length();
    }

    private static int indexOfAny(String in, int from) {
        for (int n = from; n < in.length(); n++) {
            char c = in.charAt(n);
            if (c == '=' || c == ';') {
                return n;
            }
        }
        return -1;
    }
}
