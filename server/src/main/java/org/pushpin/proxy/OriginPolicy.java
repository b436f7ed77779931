package org.pushpin.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.pushpin.routing.Target;

/**
 * Where an {@code untrusted} target may not lead: the deny list of the HTTP client Pushpin 1.36 ships (zurl's
 * {@code deny=127.*,10.*,192.168.*,*.local}, default allow), which 1.36 applies to every request to such a target
 * and to nothing else. A name is checked as written, the request's host and the connect host both, then every address
 * it resolves to; a blocked request gets {@code 502} and does not fail over, as in 1.36.
 */
final class OriginPolicy {
    /** Why a request was not sent. */
    static final String BLOCKED_REASON = "Origin host/IP blocked.";
    /** The debug text of the 502. */
    static final String BLOCKED = "Error: " + BLOCKED_REASON;

    /** zurl's patterns: a {@code *} stands for any text; compared without regard to case. */
    private static final String[] DENY = {"127.*", "10.*", "192.168.*", "*.local"};

    private OriginPolicy() {
    }

    static boolean denied(String hostOrAddress) {
        String s = hostOrAddress.toLowerCase(Locale.ROOT);
        for (String p : DENY) {
            int star = p.indexOf('*');
            String start = p.substring(0, star);
            String end = p.substring(star + 1);
            if (s.length() >= start.length() + end.length() && s.startsWith(start) && s.endsWith(end)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address to connect to for an untrusted target: the first one the target's host resolves to that is not
     * denied; an unresolved address when the name does not resolve (the connect then fails as for any target), and
     * null when the request is blocked. Resolves on the calling thread, as Netty's default resolver does for every
     * target; only untrusted targets come here.
     *
     * @param requestHost the host the request names (its Host header, or the next link's host), without port
     */
    static InetSocketAddress address(Target target, String requestHost) {
        if (denied(target.host()) || (requestHost != null && denied(requestHost))) {
            return null;
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(target.host(), target.port());
        }
        for (InetAddress a : all) {
            if (!denied(a.getHostAddress())) {
                return new InetSocketAddress(a, target.port());
            }
        }
        return null;
    }

    /** The host part of a Host header value ({@code name}, {@code name:port}, {@code [v6]:port}). */
    static String hostOf(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close < 0 ? hostHeader : hostHeader.substring(1, close);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
