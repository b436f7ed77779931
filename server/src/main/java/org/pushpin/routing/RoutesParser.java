package org.pushpin.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.pushpin.zhttp.ZhttpSpecs;

/**
 * Parses routes files and {@code --route} lines into a {@link RouteTable}, with Pushpin 1.36's rules and warning
 * texts (docs/configuration.md#routes-file). A bad line is skipped with a warning; the good lines are kept.
 */
public final class RoutesParser {

    /** What Pushpin logs for a line that repeats an earlier line's host, proto, ssl and path_beg. */
    public static final String DUPLICATE = "skipping duplicate condition";

    /** The source name Pushpin uses in warnings about {@code --route} lines (each one is line 1). */
    public static final String ROUTE_ARG_SOURCE = "<route>";

    private static final String[] JSONP_PROPS = {"jsonp_mode", "jsonp_cb", "jsonp_body", "jsonp_defcb",
        "jsonp_defmethod"};

    private RoutesParser() {
    }

    /**
     * A skipped line.
     *
     * @param source the file name (as given) or {@link #ROUTE_ARG_SOURCE}
     * @param line   1-based line number
     * @param reason Pushpin's words, e.g. {@code target invalid port}
     */
    public record Warning(String source, int line, String reason) {

        /** The line as Pushpin logs it: {@code file:3: reason}, and {@code file:3 skipping duplicate condition}. */
        @Override
        public String toString() {
            return source + ':' + line + (DUPLICATE.equals(reason) ? " " : ": ") + reason;
        }
    }

    /**
     * @param table    the table of the good lines
     * @param routes   the good lines in file order (condition-less ones included)
     * @param warnings the skipped lines, in file order
     */
    public record ParseResult(RouteTable table, List<Route> routes, List<Warning> warnings) {
    }

    /** Parses a whole file's text: lines end with LF or CRLF; a leading UTF-8 byte order mark is ignored. */
    public static ParseResult parse(String text, String sourceName) {
        return parse(splitLines(text), sourceName);
    }

    /** Parses the lines of a routes file; line numbers in routes and warnings count from 1. */
    public static ParseResult parse(List<String> lines, String sourceName) {
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(sourceName, "sourceName");
        Collector c = new Collector();
        for (int i = 0; i < lines.size(); i++) {
            c.accept(lines.get(i), sourceName, i + 1, i + 1);
        }
        return c.result();
    }

    /**
     * Parses {@code --route} lines into one table. Warnings name {@code <route>:1} for every line, as Pushpin's
     * do; the routes carry line 0.
     */
    public static ParseResult parseRouteArgs(List<String> routeLines) {
        Objects.requireNonNull(routeLines, "routeLines");
        Collector c = new Collector();
        for (String line : routeLines) {
            c.accept(line, ROUTE_ARG_SOURCE, 1, 0);
        }
        return c.result();
    }

    /** Splits text into lines the way Pushpin reads the file (LF or CRLF; no empty line after a final newline). */
    static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>();
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int trimmed = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(text.substring(start, trimmed));
            start = end + 1;
        }
        return out;
    }

    /** Accumulates lines into a table and warnings. */
    private static final class Collector {
        private final DefaultRouteTable.Builder table = new DefaultRouteTable.Builder();
        private final List<Warning> warnings = new ArrayList<>();

        void accept(String line, String source, int warnLine, int routeLine) {
            Route route;
            List<String> notes = new ArrayList<>(0);
            try {
                route = parseLine(line, routeLine, notes);
            } catch (LineException e) {
                warnings.add(new Warning(source, warnLine, e.getMessage()));
                return;
            }
            for (String note : notes) {
                warnings.add(new Warning(source, warnLine, note));
            }
            if (route != null && !table.add(route)) {
                warnings.add(new Warning(source, warnLine, DUPLICATE));
            }
        }

        ParseResult result() {
            DefaultRouteTable t = table.build();
            return new ParseResult(t, t.routes(), List.copyOf(warnings));
        }
    }

    /** A bad line; the message is Pushpin's reason. */
    private static final class LineException extends Exception {
        private static final long serialVersionUID = 1L;

        LineException(String message) {
            super(message, null, false, false);
        }
    }

    /** One line → a route, null for a blank or comment line. Checks run in Pushpin's order, so the same line
     *  gets the same first complaint. {@code notes} gets the warnings about a line that is kept all the same. */
    private static Route parseLine(String line, int lineNumber, List<String> notes) throws LineException {
        List<RouteLineTokenizer.Section> sections;
        try {
            sections = RouteLineTokenizer.tokenize(line);
        } catch (RouteLineTokenizer.SyntaxException e) {
            throw new LineException(e.getMessage());
        }
        if (sections.isEmpty()) {
            return null;
        }
        if (sections.size() < 2) {
            throw new LineException("must specify condition and at least one target");
        }
        RouteLineTokenizer.Section cond = sections.get(0);

        String proto = null;
        if (cond.has("proto")) {
            proto = cond.last("proto");
            if (!proto.equals("http") && !proto.equals("ws")) {
                throw new LineException("proto must be set to 'http' or 'ws'");
            }
        }
        Boolean ssl = null;
        if (cond.has("ssl")) {
            String v = cond.last("ssl");
            if (v.equals("yes")) {
                ssl = Boolean.TRUE;
            } else if (v.equals("no")) {
                ssl = Boolean.FALSE;
            } else {
                throw new LineException("ssl must be set to 'yes' or 'no'");
            }
        }
        String pathBeg = null;
        if (cond.has("path_beg")) {
            pathBeg = cond.last("path_beg");
            if (pathBeg.isEmpty()) {
                throw new LineException("path_beg cannot be empty");
            }
        }
        int pathRemove = cond.has("path_rem") ? Math.max(0, parseInt(cond.last("path_rem"), 0)) : 0;
        String replaceBeg = null;
        if (cond.has("replace_beg")) {
            // Pushpin's rule: replace_beg always drops exactly the path_beg part, whatever path_rem said.
            replaceBeg = cond.last("replace_beg");
            pathRemove = pathBeg == null ? 0 : pathBeg.length();
        }
        Map<String, String> jsonp = new LinkedHashMap<>();
        for (String name : JSONP_PROPS) {
            if (cond.has(name)) {
                jsonp.put(name, cond.last(name));
            }
        }
        String mode = jsonp.get("jsonp_mode");
        if (mode != null && !mode.equals("basic") && !mode.equals("extended")) {
            throw new LineException("jsonp_mode must be set to 'basic' or 'extended'");
        }
        String defMethod = jsonp.get("jsonp_defmethod");
        if (defMethod != null && !defMethod.isEmpty() && !isToken(defMethod)) {
            // (Pushpin 1.36 takes any text and sends a request line the origin cannot read)
            throw new LineException("jsonp_defmethod must be a method name");
        }
        for (String name : List.of("sockjs", "sockjs_as_path")) {
            if (cond.has(name) && !cond.last(name).startsWith("/")) {
                // (Pushpin 1.36 takes it, and a SockJS path that no request path can start with is never served)
                throw new LineException(name + " must be a path starting with '/'");
            }
        }
        List<Map.Entry<String, String>> headers = parseHeaders(cond.all("header"));
        flagsWithValues(cond, notes, "orig_headers", "session");
        int logLevel = -1;
        if (cond.has("log_level")) {
            // (1.41 reads any text as a number, and "x" as 0 = error: a typo would raise the messages to errors)
            logLevel = parseInt(cond.last("log_level"), -1);
            if (logLevel < 0 || logLevel > 3) {
                notes.add("log_level must be a number from 0 to 3; the route's messages stay at debug");
                logLevel = -1;
            }
        }

        List<Target> targets = new ArrayList<>(sections.size() - 1);
        for (int i = 1; i < sections.size(); i++) {
            targets.add(parseTarget(sections.get(i), notes));
        }

        return new Route(
                conditionHost(cond.value()),
                emptyToNull(cond.last("id")),
                pathBeg,
                proto,
                ssl,
                cond.has("prefix") ? cond.last("prefix") : "",
                emptyToNull(cond.last("sig_iss")),
                emptyToNull(cond.last("sig_key")),
                emptyToNull(cond.last("as_host")),
                pathRemove,
                replaceBeg,
                headers,
                cond.has("no_grip"),
                cond.has("debug"),
                cond.has("aco"),
                Collections.unmodifiableMap(jsonp),
                cond.has("orig_headers"),
                cond.has("session"),
                emptyToNull(cond.last("sockjs")),
                emptyToNull(cond.last("sockjs_as_path")),
                logLevel,
                List.copyOf(targets),
                lineNumber);
    }

    /** An HTTP token (RFC 9110 {@code tchar}s): what a method name may be made of. */
    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** {@code header=Name:Value} props, reversed into the order Pushpin applies them (see {@link Route}). */
    private static List<Map.Entry<String, String>> parseHeaders(List<String> values) throws LineException {
        List<Map.Entry<String, String>> out = new ArrayList<>(values.size());
        for (int i = values.size() - 1; i >= 0; i--) {
            String s = values.get(i);
            int colon = s.indexOf(':');
            if (colon < 1) {
                throw new LineException("header must use format 'name:value'");
            }
            String value = s.substring(colon + 1);
            int n = 0;
            while (n < value.length() && value.charAt(n) == ' ') {
                n++;
            }
            out.add(Map.entry(s.substring(0, colon), value.substring(n)));
        }
        return List.copyOf(out);
    }

    /**
     * A value given to a flag: it counts as set whatever it says (Pushpin's rule, kept), so "untrusted=no" is said to
     * be a mistake. Only for the flags whose effect a reader could take a value to undo.
     */
    private static void flagsWithValues(RouteLineTokenizer.Section section, List<String> notes, String... flags) {
        for (String flag : flags) {
            for (String v : section.all(flag)) {
                if (!v.isEmpty()) {
                    notes.add(flag + " takes no value; '" + flag + "=" + v + "' counts as " + flag);
                }
            }
        }
    }

    private static Target parseTarget(RouteLineTokenizer.Section section, List<String> notes) throws LineException {
        String v = section.value();
        Target.Kind kind;
        String host = null;
        int port = 0;
        String zhttpSpec = null;
        if (v.equals("test")) {
            kind = Target.Kind.TEST;
        } else if (v.startsWith("zhttp/") || v.startsWith("zhttpreq/")) {
            boolean requestMode = v.startsWith("zhttpreq/");
            kind = requestMode ? Target.Kind.ZHTTPREQ : Target.Kind.ZHTTP;
            zhttpSpec = v.substring(v.indexOf('/') + 1);
            String problem = ZhttpSpecs.problem(zhttpSpec, requestMode);
            if (problem != null) {
                throw new LineException(problem);
            }
        } else {
            kind = Target.Kind.ORIGIN;
            String portText;
            if (v.startsWith("[")) {
                // [v6]:port, which Pushpin accepts from 1.41 on (1.36 reports "target invalid port").
                int close = v.indexOf(']');
                if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
                    throw new LineException("target bad format");
                }
                host = v.substring(1, close);
                portText = v.substring(close + 2);
            } else {
                int colon = v.indexOf(':');
                if (colon < 0) {
                    throw new LineException("target bad format");
                }
                host = v.substring(0, colon);
                portText = v.substring(colon + 1);
            }
            port = parseInt(portText, -1);
            if (port < 1 || port > 65535) {
                throw new LineException("target invalid port");
            }
        }
        List<String> subs = new ArrayList<>();
        for (String s : section.all("sub")) {
            if (!s.isEmpty()) {
                subs.add(s);
            } else {
                notes.add("sub needs a channel name; an empty sub= is ignored");
            }
        }
        flagsWithValues(section, notes, "untrusted", "trust_connect_host");
        ClientIdentity identity = null;
        if (section.has("client_cert") || section.has("client_key")) {
            try {
                identity = ClientIdentity.read(section.last("client_cert"), section.last("client_key"));
            } catch (ClientIdentity.Problem e) {
                throw new LineException(e.getMessage());
            }
        }
        // Flags are set by presence alone, as in Pushpin: "ssl=no" on a target still means ssl.
        return new Target(
                kind,
                host,
                port,
                section.has("ssl"),
                section.has("insecure"),
                section.has("trust_connect_host"),
                emptyToNull(section.last("host")),
                section.has("over_http"),
                section.has("one_event"),
                List.copyOf(subs),
                section.has("untrusted"),
                zhttpSpec,
                identity);
    }

    /** Condition value → {@link Route#host()}: "" → null, {@code *} kept, else lower case without IPv6 brackets. */
    private static String conditionHost(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.equals("*")) {
            return "*";
        }
        String h = value;
        if (h.length() > 2 && h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /**
     * A decimal int the way Qt's {@code QString::toInt} reads one: surrounding white space allowed, an optional
     * sign, ASCII digits only; anything else (or overflow) gives {@code fallback}.
     */
    static int parseInt(String text, int fallback) {
        String s = text.strip();
        int i = (s.startsWith("+") || s.startsWith("-")) ? 1 : 0;
        if (i >= s.length()) {
            return fallback;
        }
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return fallback;
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
