package org.pushpin.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed reads over pushpin.conf and its include, as Pushpin's {@code Settings} class does them: the main file wins,
 * the include fills in; every string read gets {@code {libdir}}, {@code {rundir}} and {@code {ipc_prefix}}
 * replaced and the port offset added to each {@code tcp://host:PORT}. Conversions follow QVariant (a list read as a
 * string is empty, any boolean other than empty/{@code 0}/{@code false} is true) except that a malformed integer is
 * an error naming file, line and key instead of Qt's silent 0.
 */
final class Settings {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);

    private final IniFile main;
    private final IniFile include;
    private final String libdir;
    private final String rundir;
    private final String ipcPrefix;
    private final int portOffset;
    /**
     * Every key looked up, by {@code section/key}, in reading order, with its type and default: what the unused-keys
     * warning ({@link UnusedKeys}) and the configuration reference ({@link ConfigKeys}) are made from.
     */
    private final Map<String, ConfigKeys.Key> reads = new LinkedHashMap<>();

    /** @param main the config file, or null for built-in defaults only; @param include null when none */
    Settings(IniFile main, IniFile include, String libdir, String rundir, String ipcPrefix, int portOffset) {
        this.main = main;
        this.include = include;
        this.libdir = libdir;
        this.rundir = rundir;
        this.ipcPrefix = ipcPrefix;
        this.portOffset = portOffset;
    }

    /** Notes a typed read of {@code section/key} and its default. */
    private void note(String section, String key, String type, Object def) {
        String d = def == null ? "" : def instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf)
                .toList()) : String.valueOf(def);
        // the outermost typed read says what the key is (a port read as an integer stays a port)
        reads.merge(section + "/" + key, new ConfigKeys.Key(section, key, type, d), ConfigKeys::typedFirst);
    }

    /** The raw entry: main file first, then the include; null when neither has it. */
    IniFile.Entry entry(String section, String key) {
        reads.putIfAbsent(section + "/" + key, new ConfigKeys.Key(section, key, ConfigKeys.RAW, ""));
        IniFile.Entry e = main == null ? null : main.get(section, key);
        if (e == null && include != null) {
            e = include.get(section, key);
        }
        return e;
    }

    /** The keys looked up so far, by {@code section/key}, in reading order. */
    Map<String, ConfigKeys.Key> reads() {
        return reads;
    }

    boolean contains(String section, String key) {
        return entry(section, key) != null;
    }

    /** A string value (QVariant::toString: a list reads as empty), resolved; {@code def} when missing. */
    String string(String section, String key, String def) {
        note(section, key, "string", def);
        IniFile.Entry e = entry(section, key);
        if (e == null) {
            return def;
        }
        return resolve(scalar(e));
    }

    /** A list value (QVariant::toStringList), each item resolved, empty items dropped as Pushpin's trimlist. */
    List<String> list(String section, String key, List<String> def) {
        note(section, key, "list", def);
        IniFile.Entry e = entry(section, key);
        if (e == null) {
            return def;
        }
        List<String> out = new ArrayList<>();
        for (String item : e.items()) {
            if (!item.isEmpty()) {
                out.add(resolve(item));
            }
        }
        return List.copyOf(out);
    }

    /** An integer; an empty value reads as 0 like Qt's toInt, anything else malformed is an error. */
    int integer(String section, String key, int def) throws ConfigException {
        note(section, key, "integer", def);
        IniFile.Entry e = entry(section, key);
        if (e == null) {
            return def;
        }
        if (e.isList()) {
            throw new ConfigException(e.where() + ": expected an integer, got a list: " + String.join(",", e.items()));
        }
        String s = resolve(e.items().get(0)).strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException ex) {
            throw new ConfigException(e.where() + ": invalid integer \"" + s + "\"");
        }
    }

    /**
     * For options of ours that should not stop a start: an integer of at least {@code min}; anything else (a list,
     * not a number, too small) is logged with its file and line and {@code def} is taken.
     */
    int integerOrWarn(String section, String key, int def, int min) {
        note(section, key, "integer", def);
        IniFile.Entry e = entry(section, key);
        if (e == null) {
            return def;
        }
        String s = e.isList() ? String.join(",", e.items()) : resolve(e.items().get(0)).strip();
        try {
            int v = e.isList() ? Integer.MIN_VALUE : Integer.parseInt(s);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException ex) {
            // warned below
        }
        log.warn("{}: \"{}\" is not an integer of at least {}; using {}", e.where(), s, min, def);
        return def;
    }

    /** {@link #integer} that must be at least {@code min}. */
    int integerAtLeast(String section, String key, int def, int min) throws ConfigException {
        int v = integer(section, key, def);
        if (v < min) {
            throw new ConfigException(entry(section, key).where() + ": must be at least " + min + ", got " + v);
        }
        return v;
    }

    /**
     * A count limit: -1 (the default) for none, else at least 1. Pushpin reads 0 (an empty value too) or another
     * negative number as a limit nothing fits under, so that is refused rather than taken.
     */
    int limit(String section, String key) throws ConfigException {
        note(section, key, "integer", -1);
        int v = integer(section, key, -1);
        if (v == 0 || v < -1) {
            throw new ConfigException(entry(section, key).where() + ": must be -1 (no limit) or at least 1, got " + v);
        }
        return v;
    }

    /**
     * A boolean with QVariant::toBool's rule: false only for empty, {@code 0} or {@code false} (any case), so
     * {@code no} is true. That surprises people, so such values are logged.
     */
    boolean bool(String section, String key, boolean def) {
        note(section, key, "boolean", def);
        IniFile.Entry e = entry(section, key);
        if (e == null) {
            return def;
        }
        if (e.isList()) {
            log.warn("{}: a list is read as false", e.where());
            return false;
        }
        String s = e.items().get(0).strip().toLowerCase(Locale.ROOT);
        boolean value = !(s.isEmpty() || s.equals("0") || s.equals("false"));
        if (value && !s.equals("true") && !s.equals("1")) {
            log.warn("{}: \"{}\" is read as true (only empty, 0 and false are false)", e.where(), s);
        }
        return value;
    }

    /** Pushpin's adjustedPort: a port above 0 gets the port offset; {@code def} when missing or empty. */
    int adjustedPort(String section, String key, int def) throws ConfigException {
        note(section, key, "port", def);
        IniFile.Entry e = entry(section, key);
        if (e == null || (!e.isList() && e.items().get(0).isBlank())) {
            return def;
        }
        int port = integer(section, key, def);
        if (port < 0 || port > 65535) {
            throw new ConfigException(e.where() + ": invalid port \"" + port + "\"");
        }
        if (port > 0) {
            port += portOffset;
        }
        return port;
    }

    private static String scalar(IniFile.Entry e) {
        if (e.isList()) {
            log.warn("{}: value has an unquoted comma, so it is a list and reads as empty (quote it)", e.where());
            return "";
        }
        return e.items().get(0);
    }

    String resolve(String in) {
        String out = in.replace("{libdir}", libdir).replace("{rundir}", rundir).replace("{ipc_prefix}", ipcPrefix);
        return portOffset == 0 ? out : addPortOffset(out, portOffset);
    }

    /**
     * Adds {@code offset} to the port of every {@code tcp://host:PORT} in {@code in}. Unlike Pushpin's loop,
     * which stops at the first ':' and so skips {@code tcp://[::1]:5560}, a bracketed IPv6 host is handled.
     */
    static String addPortOffset(String in, int offset) {
        StringBuilder out = new StringBuilder(in.length() + 4);
        int at = 0;
        while (true) {
            int scheme = in.indexOf("tcp://", at);
            if (scheme < 0) {
                break;
            }
            int hostStart = scheme + 6;
            int colon;
            if (hostStart < in.length() && in.charAt(hostStart) == '[') {
                int close = in.indexOf(']', hostStart);
                colon = close < 0 ? -1 : in.indexOf(':', close);
            } else {
                colon = in.indexOf(':', hostStart);
            }
            if (colon < 0) {
                break;
            }
            int digitsEnd = colon + 1;
            while (digitsEnd < in.length() && in.charAt(digitsEnd) >= '0' && in.charAt(digitsEnd) <= '9') {
                digitsEnd++;
            }
            out.append(in, at, colon + 1);
            if (digitsEnd > colon + 1 && digitsEnd - colon - 1 <= 9) {
                out.append(Integer.parseInt(in.substring(colon + 1, digitsEnd)) + offset);
            } else {
                out.append(in, colon + 1, digitsEnd);
            }
            at = digitsEnd;
        }
        out.append(in, at, in.length());
        return out.toString();
    }
}
