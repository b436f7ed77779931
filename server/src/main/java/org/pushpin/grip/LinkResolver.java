package org.pushpin.grip;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code Grip-Link} URI the way Qt's tolerant {@code QUrl} does and resolves it per RFC 3986 §5.2 (as
 * {@code QUrl::resolved}; {@link URI#resolve} follows RFC 2396 and gets {@code ?q} and excess {@code ..} wrong).
 *
 * <p>Verified against 1.36: spaces, quotes, braces, non-ASCII bytes and stray {@code %} in path, query, fragment
 * or user info are accepted and percent-encoded; a bad host ({@code http://x y/}, {@code http://[::1/}) or port
 * ({@code :b}, {@code :99999}) makes the link invalid.
 */
final class LinkResolver {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*:");
    private static final String HEX = "0123456789ABCDEF";

    private LinkResolver() {
    }

    /**
     * @param link byte string between the angle brackets
     * @param base the client's request URI
     * @return the resolved URI, or null when the link is not a valid URI
     */
    static URI resolve(String link, URI base) {
        URI ref = parse(link);
        if (ref == null) {
            return null;
        }
        if (base == null || ref.isOpaque() || base.isOpaque()) {
            return ref;
        }
        String scheme;
        String authority;
        String path;
        String query;
        if (ref.getScheme() != null) {
            scheme = ref.getScheme();
            authority = ref.getRawAuthority();
            path = removeDotSegments(nz(ref.getRawPath()));
            query = ref.getRawQuery();
        } else {
            scheme = base.getScheme();
            if (ref.getRawAuthority() != null) {
                authority = ref.getRawAuthority();
                path = removeDotSegments(nz(ref.getRawPath()));
                query = ref.getRawQuery();
            } else {
                authority = base.getRawAuthority();
                String refPath = nz(ref.getRawPath());
                if (refPath.isEmpty()) {
                    path = nz(base.getRawPath());
                    query = ref.getRawQuery() != null ? ref.getRawQuery() : base.getRawQuery();
                } else {
                    path = removeDotSegments(refPath.startsWith("/") ? refPath : merge(base, refPath));
                    query = ref.getRawQuery();
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        if (scheme != null) {
            sb.append(scheme).append(':');
        }
        if (authority != null) {
            sb.append("//").append(authority);
        }
        sb.append(path);
        if (query != null) {
            sb.append('?').append(query);
        }
        if (ref.getRawFragment() != null) {
            sb.append('#').append(ref.getRawFragment());
        }
        try {
            return new URI(sb.toString());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Parses leniently; null when Qt would call it invalid. */
    static URI parse(String link) {
        String encoded = encodeLeniently(link);
        URI uri;
        try {
            uri = new URI(encoded);
        } catch (URISyntaxException e) {
            return null;
        }
        String authority = uri.getRawAuthority();
        return authority == null || validHostPort(authority) ? uri : null;
    }

    private static boolean validHostPort(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return false;
            }
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        if (port.isEmpty()) {
            return true;
        }
        if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Integer.parseInt(port) <= 65535;
    }

    /** Percent-encodes what RFC 3986 forbids, except in the host and port, which must be right as given. */
    private static String encodeLeniently(String in) {
        int hostStart = -1;
        int hostEnd = -1;
        Matcher m = SCHEME.matcher(in);
        int p = m.find() ? m.end() : 0;
        if (in.startsWith("//", p)) {
            int end = p + 2;
            while (end < in.length() && "/?#".indexOf(in.charAt(end)) < 0) {
                end++;
            }
            hostStart = Math.max(in.lastIndexOf('@', end - 1) + 1, p + 2);
            hostEnd = end;
        }
        StringBuilder sb = new StringBuilder(in.length() + 16);
        boolean inFragment = false;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (i >= hostStart && i < hostEnd) {
                sb.append(c);
                continue;
            }
            boolean bad = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0
                    || ((c == '[' || c == ']') && i >= hostEnd)
                    || (c == '%' && !(i + 2 < in.length() && isHex(in.charAt(i + 1)) && isHex(in.charAt(i + 2))))
                    || (c == '#' && inFragment);
            if (c == '#') {
                inFragment = true;
            }
            if (bad) {
                // Byte strings hold one octet per char; anything wider is text and goes out as UTF-8.
                byte[] octets = c <= 0xff ? new byte[] {(byte) c}
                        : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                for (byte o : octets) {
                    sb.append('%').append(HEX.charAt((o >> 4) & 0xf)).append(HEX.charAt(o & 0xf));
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String merge(URI base, String refPath) {
        String basePath = nz(base.getRawPath());
        if (base.getRawAuthority() != null && basePath.isEmpty()) {
            return "/" + refPath;
        }
        return basePath.substring(0, basePath.lastIndexOf('/') + 1) + refPath;
    }

    /** RFC 3986 §5.2.4. */
    static String removeDotSegments(String path) {
        StringBuilder in = new StringBuilder(path);
        StringBuilder out = new StringBuilder();
        while (in.length() > 0) {
            if (startsWith(in, "../")) {
                in.delete(0, 3);
            } else if (startsWith(in, "./")) {
                in.delete(0, 2);
            } else if (startsWith(in, "/./")) {
                in.delete(0, 2);
            } else if (in.toString().equals("/.")) {
                in.replace(0, 2, "/");
            } else if (startsWith(in, "/../")) {
                in.delete(0, 3);
                removeLastSegment(out);
            } else if (in.toString().equals("/..")) {
                in.replace(0, 3, "/");
                removeLastSegment(out);
            } else if (in.toString().equals(".") || in.toString().equals("..")) {
                in.setLength(0);
            } else {
                int next = in.indexOf("/", in.charAt(0) == '/' ? 1 : 0);
                int end = next < 0 ? in.length() : next;
                out.append(in, 0, end);
                in.delete(0, end);
            }
        }
        return out.toString();
    }

    private static boolean startsWith(StringBuilder sb, String prefix) {
        return sb.length() >= prefix.length() && sb.substring(0, prefix.length()).equals(prefix);
    }

    private static void removeLastSegment(StringBuilder out) {
        int slash = out.lastIndexOf("/");
        out.setLength(Math.max(slash, 0));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
