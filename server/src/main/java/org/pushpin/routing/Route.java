package org.pushpin.routing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One line of the routes file.
 *
 * @param host        the condition host ({@code *} = any, lower-case, IPv6 without brackets), or null for a line
 *                    with no condition value (such a route is reachable only by id)
 * @param id          {@code id=} as written, or null; see {@link #routeId()} for the id Pushpin actually uses
 * @param pathBeg     {@code path_beg=} (never empty), or null; compared with the encoded path without query
 * @param proto       {@code proto=}: null (any), "http" or "ws"
 * @param ssl         {@code ssl=}: null (any), TRUE or FALSE
 * @param prefix      channel prefix ({@code prefix=}), or ""
 * @param sigIss      per-route Grip-Sig issuer, or null
 * @param sigKey      per-route Grip-Sig key as written (a {@code base64:} prefix is decoded by
 *                    {@link #sigKeyBytes()}), or null (both must be set to apply)
 * @param asHost      {@code as_host=H[:P]}, or null (an empty value is null too)
 * @param pathRemove  bytes dropped from the start of the path: {@code path_rem=N}, or, when {@code replace_beg=}
 *                    is given, the length of {@code path_beg} (Pushpin's rule); 0 = none. See {@link RouteRewrite}
 * @param replaceBeg  {@code replace_beg=}: text put in front of the path after {@code pathRemove} (may be empty),
 *                    or null
 * @param headers     {@code header=Name:Value}, in the order Pushpin applies them, which is the reverse of the order
 *                    written (so for a repeated name the first one written wins, verified). Apply each by removing
 *                    every header of that name, then adding it unless the value is empty (empty = "remove")
 * @param noGrip      {@code no_grip}
 * @param debug       {@code debug}
 * @param autoCrossOrigin {@code aco}
 * @param jsonp       JSON-P props ({@code jsonp_mode}, {@code jsonp_cb}, {@code jsonp_body}, {@code jsonp_defcb},
 *                    {@code jsonp_defmethod}) as given
 * @param origHeaders {@code orig_headers}
 * @param session     {@code session}
 * @param sockjs      {@code sockjs=}, or null
 * @param sockjsAsPath {@code sockjs_as_path=}, or null
 * @param logLevel    {@code log_level=N} (Pushpin 1.41): the level, 0 (error) to 3 (debug), of the messages about
 *                    this route's sessions (too many subscriptions); -1 when not given (debug)
 * @param targets     at least one; tried in order (failover)
 * @param line        1-based line number in its file (0 for {@code --route})
 */
public record Route(
        String host,
        String id,
        String pathBeg,
        String proto,
        Boolean ssl,
        String prefix,
        String sigIss,
        String sigKey,
        String asHost,
        int pathRemove,
        String replaceBeg,
        List<Map.Entry<String, String>> headers,
        boolean noGrip,
        boolean debug,
        boolean autoCrossOrigin,
        Map<String, String> jsonp,
        boolean origHeaders,
        boolean session,
        String sockjs,
        String sockjsAsPath,
        int logLevel,
        List<Target> targets,
        int line) {

    /**
     * The id Pushpin gives this route: {@code id=} when written, else one derived from the condition,
     * {@code HOST,PROTO,SSL,PATH_BEG} with {@code *} for each part not given (Pushpin-Route, retries and next links
     * use it). Pushpin 1.36 swaps the ssl words: {@code ssl=no} gives {@code ssl} and {@code ssl=yes} gives
     * {@code no-ssl}; kept so that the same {@code Pushpin-Route} values work (verified against the reference).
     */
    public String routeId() {
        if (id != null) {
            return id;
        }
        String h = host == null ? "*" : host;
        String p = proto == null ? "*" : proto;
        String s = ssl == null ? "*" : (ssl ? "no-ssl" : "ssl");
        String b = pathBeg == null ? "*" : pathBeg;
        return h + ',' + p + ',' + s + ',' + b;
    }

    /** {@link #logLevel} as a logging level: 0 error, 1 warn, 2 info, else debug. */
    public org.slf4j.event.Level messageLevel() {
        return switch (logLevel) {
            case 0 -> org.slf4j.event.Level.ERROR;
            case 1 -> org.slf4j.event.Level.WARN;
            case 2 -> org.slf4j.event.Level.INFO;
            default -> org.slf4j.event.Level.DEBUG;
        };
    }

    /**
     * The per-route Grip-Sig key as bytes: {@code base64:...} decoded (leniently, as Pushpin does), else the UTF-8
     * bytes; null when no {@code sig_key} was given or it is empty.
     */
    public byte[] sigKeyBytes() {
        if (sigKey == null || sigKey.isEmpty()) {
            return null;
        }
        if (sigKey.startsWith("base64:")) {
            return decodeBase64Leniently(sigKey.substring(7));
        }
        return sigKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Like Qt's {@code fromBase64}: skips characters outside the alphabet and stops at padding; never fails. */
    private static byte[] decodeBase64Leniently(String in) {
        StringBuilder clean = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '=') {
                break;
            }
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            }
        }
        if (clean.length() % 4 == 1) {
            clean.setLength(clean.length() - 1); // a lone trailing sextet carries no whole byte
        }
        return Base64.getDecoder().decode(clean.toString());
    }
}
