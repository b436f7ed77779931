package org.pushpin.sockjs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SockJS framing, apart from any session: the frames the server sends ({@code o} open, {@code h} heartbeat,
 * {@code a[...]} messages, {@code c[code,"reason"]} close) and the client's payload (a JSON array of strings).
 *
 * <p>Strings are quoted as JSON with the characters SockJS servers escape beyond JSON's own: control characters,
 * the Unicode ranges some browsers mangle or treat as line ends (U+2028, U+2029 and neighbours), and surrogates, so
 * the frame survives every transport (a JSON-P script, an HTML file, an event stream) unchanged.
 */
public final class SockJsFrames {
    public static final String OPEN = "o";
    public static final String HEARTBEAT = "h";
    /** Largest message a client may send, in UTF-8 bytes (Pushpin's SockJS buffer). */
    public static final int MAX_MESSAGE = 200_000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    private SockJsFrames() {
    }

    /** {@code a["m1","m2"]}. */
    public static String messages(List<String> messages) {
        StringBuilder b = new StringBuilder(16 + messages.size() * 16).append("a[");
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            quote(messages.get(i), b);
        }
        return b.append(']').toString();
    }

    /** {@code c[code,"reason"]}. */
    public static String close(int code, String reason) {
        StringBuilder b = new StringBuilder("c[").append(code).append(',');
        quote(reason, b);
        return b.append(']').toString();
    }

    /** {@code s} as a JSON string, with its quotes. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(s, b);
        return b.toString();
    }

    static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (escaped(c)) {
                        b.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16))
                                .append(Character.forDigit(c >> 8 & 0xf, 16))
                                .append(Character.forDigit(c >> 4 & 0xf, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** The characters SockJS servers send as {@code \\uXXXX}. */
    private static boolean escaped(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || (c >= 0x600 && c <= 0x604) || c == 0x70f
                || c == 0x17b4 || c == 0x17b5 || (c >= 0x200c && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)
                || (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || c >= 0xfff0
                || (c >= 0xd800 && c <= 0xdfff);
    }

    /** The client's payload was not a JSON array of strings, or a message in it was too large. */
    public static final class Malformed extends Exception {
        private final boolean tooLarge;

        Malformed(boolean tooLarge) {
            super(tooLarge ? "Message too large" : "Payload expected", null, false, false);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * The messages of a client payload: a JSON array of strings, nothing after it.
     *
     * @throws Malformed when it is anything else, or a message is over {@link #MAX_MESSAGE} UTF-8 bytes
     */
    public static List<String> parse(byte[] payload) throws Malformed {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new Malformed(false);
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new Malformed(false);
                }
                String m = p.getText();
                if (m.length() > MAX_MESSAGE / 3 && utf8Length(m) > MAX_MESSAGE) {
                    throw new Malformed(true);
                }
                out.add(m);
            }
            if (p.nextToken() != null) {
                throw new Malformed(false);
            }
        } catch (IOException e) {
            throw new Malformed(false);
        }
        return out;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
