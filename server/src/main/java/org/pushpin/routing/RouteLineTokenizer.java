package org.pushpin.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits one routes-file line into sections ({@code VALUE[,prop[=value]]...}), the way Pushpin 1.36 does.
 *
 * <p>Only the space character separates sections (a tab is an ordinary character, as in Pushpin). {@code ,}
 * separates props, {@code #} outside quotes ends the line, and {@code "..."} quotes any part of a value with the
 * escapes {@code \\} and {@code \"} only.
 *
 * <p>A section whose value contains {@code =} is a run of props with an empty value. Pushpin re-reads such a
 * section from where the previous token ended, which is the first section of a line with no leading space, and
 * otherwise a space, which yields {@code expecting prop}. So {@code id=x host:80} is a condition-less line with an
 * id, while {@code * id=x host:80} is rejected with {@code expecting prop} (checked against the reference).
 */
final class RouteLineTokenizer {

    /** One section: its value (possibly empty) and its props in the order written. */
    record Section(String value, List<Map.Entry<String, String>> props) {

        boolean has(String name) {
            for (Map.Entry<String, String> p : props) {
                if (p.getKey().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /** The value of the last prop with this name (Pushpin keeps the most recent one), or null. */
        String last(String name) {
            String found = null;
            for (Map.Entry<String, String> p : props) {
                if (p.getKey().equals(name)) {
                    found = p.getValue();
                }
            }
            return found;
        }

        /** All values of props with this name, in the order written. */
        List<String> all(String name) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> p : props) {
                if (p.getKey().equals(name)) {
                    out.add(p.getValue());
                }
            }
            return out;
        }
    }

    /** A line that cannot be split; the message is what the warning says after {@code file:line: }. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { SEPARATOR, VALUE, PROP }

    private final String line;
    private int pos;
    private State state = State.SEPARATOR;

    private RouteLineTokenizer(String line) {
        this.line = line;
    }

    /** The sections of a line; empty for a blank or comment-only line. */
    static List<Section> tokenize(String line) throws SyntaxException {
        RouteLineTokenizer t = new RouteLineTokenizer(line);
        List<String> values = new ArrayList<>();
        List<List<Map.Entry<String, String>>> props = new ArrayList<>();
        while (true) {
            Token token = t.next();
            if (token == null) {
                break;
            }
            if (token.name == null) {
                values.add(token.value);
                props.add(new ArrayList<>());
            } else {
                props.get(props.size() - 1).add(Map.entry(token.name, token.value));
            }
        }
        List<Section> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(new Section(values.get(i), List.copyOf(props.get(i))));
        }
        return out;
    }

    /** A section value (name == null) or a prop. */
    private record Token(String name, String value) {
    }

    /** The next token, or null at the end of the line. */
    private Token next() throws SyntaxException {
        int tokenStart = pos;
        if (state == State.SEPARATOR) {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            if (pos >= line.length() || line.charAt(pos) == '#') {
                return null;
            }
            state = State.VALUE;
        }
        StringBuilder part = new StringBuilder();
        int end = readPart(part);

        Token token;
        if (state == State.VALUE) {
            if (part.indexOf("=") >= 0) {
                // Pushpin's rewind: the same text is read again as props of a section with an empty value.
                pos = tokenStart;
                state = State.PROP;
                return new Token(null, "");
            }
            token = new Token(null, part.toString());
        } else {
            if (part.length() == 0) {
                throw new SyntaxException("expecting prop");
            }
            int eq = part.indexOf("=");
            String name = eq >= 0 ? part.substring(0, eq) : part.toString();
            String value = eq >= 0 ? part.substring(eq + 1) : "";
            if (name.isEmpty()) {
                throw new SyntaxException("empty prop name");
            }
            token = new Token(name, value);
        }

        if (end < line.length() && line.charAt(end) == ',') {
            pos = end + 1;
            state = State.PROP;
        } else {
            pos = end;
            state = State.SEPARATOR;
        }
        return token;
    }

    /**
     * Appends text from {@link #pos} up to the next unquoted {@code ,}, space or {@code #} (or the end), decoding
     * quoted stretches, and returns the index of that delimiter.
     */
    private int readPart(StringBuilder part) throws SyntaxException {
        int i = pos;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ',' || c == ' ' || c == '#') {
                return i;
            }
            if (c != '"') {
                part.append(c);
                i++;
                continue;
            }
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new SyntaxException("unterminated quoted string");
                }
                char q = line.charAt(i);
                if (q == '"') {
                    i++;
                    break;
                }
                if (q == '\\') {
                    i++;
                    if (i >= line.length()) {
                        throw new SyntaxException("unterminated quoted string");
                    }
                    char e = line.charAt(i);
                    if (e != '\\' && e != '"') {
                        throw new SyntaxException("bad escape in quoted string");
                    }
                    part.append(e);
                } else {
                    part.append(q);
                }
                i++;
            }
        }
        return i;
    }
}
