package org.pushpin.zhttp;

import java.util.List;

/**
 * The sockets a {@code zhttp/BASE} target stands for, as Pushpin derives them: {@code tcp://HOST:PORT} means the
 * request PUSH socket on PORT, the stream ROUTER on PORT+1 and the response SUB on PORT+2; any other spec means
 * BASE-out, BASE-out-stream and BASE-in. A {@code zhttpreq/BASE} target is one socket at BASE.
 */
public final class ZhttpSpecs {
    private ZhttpSpecs() {
    }

    /**
     * What is wrong with the spec of a {@code zhttp/} ({@code requestMode} false) or {@code zhttpreq/} target, or
     * null when nothing is. (Pushpin 1.36 stops on an assertion for these.)
     */
    public static String problem(String spec, boolean requestMode) {
        if (spec.indexOf("://") <= 0) {
            return "zhttp target spec must be TRANSPORT://ADDRESS";
        }
        if (!requestMode) {
            try {
                streamSpecs(spec);
            } catch (IllegalArgumentException e) {
                return "zhttp target spec: " + e.getMessage();
            }
        }
        return null;
    }

    /** [out, out-stream, in] for a stream-mode base spec; throws {@link IllegalArgumentException} for a bad port. */
    public static List<String> streamSpecs(String base) {
        int scheme = base.indexOf("://");
        int colon = scheme < 0 ? -1 : base.indexOf(':', scheme + 3);
        if (colon < 0) {
            return List.of(base + "-out", base + "-out-stream", base + "-in");
        }
        String prefix = base.substring(0, colon + 1);
        int port;
        try {
            port = Integer.parseInt(base.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + base);
        }
        if (port < 1 || port > 65533) {
            throw new IllegalArgumentException("port out of range in " + base);
        }
        return List.of(prefix + port, prefix + (port + 1), prefix + (port + 2));
    }
}
