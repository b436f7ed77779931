package org.pushpin.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One INI file read the way Qt's {@code QSettings(IniFormat)} reads it, which is how Pushpin reads pushpin.conf.
 *
 * <p>Hand-written rather than a library on purpose: every error must name the file and line (and the key), which
 * no INI library keeps, and the file must mean what it means to Qt: {@code ;} starts a comment even after a value
 * (outside quotes), an unquoted comma turns a value into a list, double quotes group text and are removed,
 * backslash escapes ({@code \n}, {@code \x41}, {@code \101}, unknown ones are dropped) apply inside and outside
 * quotes, a trailing backslash continues the line, surrounding blanks are trimmed, and a later key wins.
 *
 * <p>Where Qt silently tolerates garbage we refuse it with the line number: a line that is neither a section, a
 * comment, blank nor {@code key=value}; a section header without {@code ]}; a quote left open at the end of the
 * line (Qt would swallow the following lines into the value).
 */
final class IniFile {

    /**
     * One {@code key=value}: the value is a single string, or a list when it had an unquoted comma (Qt's
     * QStringList), which always has at least two items.
     */
    record Entry(Path file, int line, String section, String key, List<String> items, boolean isList) {
        /** "pushpin.conf:12: [runner] http_port", the prefix of every message about this entry. */
        String where() {
            return file + ":" + line + ": [" + section + "] " + key;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries;

    private IniFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    Path file() {
        return file;
    }

    /** Every entry, in no particular order. */
    java.util.Collection<Entry> entries() {
        return entries.values();
    }

    /** The entry for {@code section/key}, or null. */
    Entry get(String section, String key) {
        return entries.get(section + "/" + key);
    }

    static IniFile read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    static IniFile parse(Path file, String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Entry> entries = new HashMap<>();
        String section = "";
        List<String> lines = text.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            int lineNo = n + 1;
            String line = lines.get(n).strip();
            // A trailing (unescaped) backslash joins the next physical line, as in Qt.
            while (endsWithEscape(line) && !isComment(line) && n + 1 < lines.size()) {
                line = line.substring(0, line.length() - 1) + lines.get(++n).strip();
            }
            if (line.isEmpty() || isComment(line)) {
                continue;
            }
            if (line.charAt(0) == '[') {
                int close = line.indexOf(']');
                if (close < 0) {
                    throw new ConfigException(file + ":" + lineNo + ": section header without ']': " + line);
                }
                section = line.substring(1, close).strip();
                continue;
            }
            Entry entry = parseKeyValue(file, lineNo, section, line);
            entries.put(section + "/" + entry.key(), entry);
        }
        return new IniFile(file, entries);
    }

    private static boolean isComment(String line) {
        return !line.isEmpty() && (line.charAt(0) == '#' || line.charAt(0) == ';');
    }

    private static boolean endsWithEscape(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Splits at the first '=' outside quotes and cuts a ';' comment, skipping escaped characters as Qt does. */
    private static Entry parseKeyValue(Path file, int lineNo, String section, String line) throws ConfigException {
        int equals = -1;
        int end = line.length();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '=' && !inQuotes && equals < 0) {
                equals = i;
            } else if (c == ';' && !inQuotes) {
                end = i;
                break;
            }
        }
        String at = file + ":" + lineNo + ": ";
        if (equals < 0 || equals >= end) {
            throw new ConfigException(at + "expected key=value, [section] or a comment, got: " + line);
        }
        String key = line.substring(0, equals).strip();
        if (key.isEmpty()) {
            throw new ConfigException(at + "[" + section + "] missing key name before '='");
        }
        Entry entry = new Entry(file, lineNo, section, key, List.of(), false);
        return parseValue(entry, line.substring(equals + 1, end));
    }

    /** Qt's iniUnescapedStringList: quotes, escapes, comma lists, trimming. */
    private static Entry parseValue(Entry entry, String raw) throws ConfigException {
        List<String> items = null;
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        boolean curQuoted = false;
        int i = skipBlanks(raw, 0);
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\\') {
                i = unescape(raw, i + 1, cur);
            } else if (c == '"') {
                i++;
                curQuoted = true;
                inQuotes = !inQuotes;
                if (!inQuotes) {
                    i = skipBlanks(raw, i);
                }
            } else if (c == ',' && !inQuotes) {
                if (!curQuoted) {
                    chopBlanks(cur);
                }
                if (items == null) {
                    items = new ArrayList<>();
                }
                items.add(cur.toString());
                cur.setLength(0);
                curQuoted = false;
                i = skipBlanks(raw, i + 1);
            } else {
                cur.append(c);
                i++;
            }
        }
        if (inQuotes) {
            throw new ConfigException(entry.where() + ": unterminated quote in value: " + raw.strip());
        }
        if (!curQuoted) {
            chopBlanks(cur);
        }
        if (items == null) {
            return new Entry(entry.file(), entry.line(), entry.section(), entry.key(), List.of(cur.toString()), false);
        }
        items.add(cur.toString());
        return new Entry(entry.file(), entry.line(), entry.section(), entry.key(), List.copyOf(items), true);
    }

    /** Decodes the escape after a backslash at {@code i - 1}; returns the index after it. */
    private static int unescape(String s, int i, StringBuilder out) {
        if (i >= s.length()) {
            return i;
        }
        char ch = s.charAt(i++);
        switch (ch) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000B');
            case '"', '?', '\'', '\\' -> out.append(ch);
            case 'x' -> {
                int start = i;
                while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
                    i++;
                }
                if (i > start) {
                    out.append((char) parseDigits(s, start, i, 16));
                }
            }
            default -> {
                if (ch >= '0' && ch <= '7') {
                    int start = i - 1;
                    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
                        i++;
                    }
                    out.append((char) parseDigits(s, start, i, 8));
                }
                // any other escaped character is dropped, as Qt does
            }
        }
        return i;
    }

    private static int parseDigits(String s, int from, int to, int radix) {
        int value = 0;
        for (int k = from; k < to; k++) {
            value = (value * radix + Character.digit(s.charAt(k), radix)) & 0xFFFF;
        }
        return value;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static void chopBlanks(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && (sb.charAt(n - 1) == ' ' || sb.charAt(n - 1) == '\t')) {
            n--;
        }
        sb.setLength(n);
    }
}
