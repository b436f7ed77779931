package org.pushpin.config;

/**
 * One listening address from {@code http_port}, {@code https_ports} or {@code --port}.
 *
 * @param host the address to bind, or {@code null} for all interfaces (IPv6 literals without brackets)
 * @param port the TCP port; 0 asks the system for a free one (tests use it)
 */
public record ListenSpec(String host, int port) {

    /**
     * Parses Pushpin's {@code [addr:]port}: {@code 7999}, {@code 127.0.0.1:7999}, {@code localhost:7999} or
     * {@code [::1]:7999}. IPv6 addresses need brackets, as in Pushpin (which reads the form as a URL).
     *
     * @throws IllegalArgumentException saying what is wrong, e.g. {@code invalid port "abc"}
     */
    public static ListenSpec parse(String spec) {
        String s = spec.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty listen address");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid listen address \"" + spec + "\" (expected [IPv6]:PORT)");
            }
            String host = s.substring(1, close);
            if (host.isEmpty() || host.indexOf(':') < 0 || !host.chars().allMatch(ListenSpec::isIpv6Char)) {
                throw new IllegalArgumentException("invalid IPv6 address \"" + host + "\"");
            }
            return new ListenSpec(host, port(s.substring(close + 2)));
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new ListenSpec(null, port(s));
        }
        if (s.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException(
                    "invalid listen address \"" + spec + "\" (write IPv6 addresses in brackets: [::1]:7999)");
        }
        String host = s.substring(0, colon);
        if (host.isEmpty() || !host.chars().allMatch(ListenSpec::isHostChar)) {
            throw new IllegalArgumentException("invalid listen address \"" + host + "\"");
        }
        return new ListenSpec(host, port(s.substring(colon + 1)));
    }

    private static int port(String s) {
        if (!s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int port = Integer.parseInt(s);
            if (port <= 65535) {
                return port;
            }
        }
        throw new IllegalArgumentException("invalid port \"" + s + "\"");
    }

    private static boolean isIpv6Char(int c) {
        return Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%'
                || (c < 128 && Character.isLetterOrDigit(c));
    }

    private static boolean isHostChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
    }

    @Override
    public String toString() {
        if (host == null) {
            return Integer.toString(port);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
