package org.pushpin.routing;

import java.util.List;
import java.util.Map;

/**
 * One line of the routes file.
 *
 * @param host        the condition host ({@code *} = any, lower-case), or null for a line with no condition value
 * @param id          {@code id=}, or null
 * @param pathBeg     {@code path_beg=}, or null
 * @param proto       {@code proto=}: null (any), "http" or "ws"
 * @param ssl         {@code ssl=}: null (any), TRUE or FALSE
 * @param prefix      channel prefix ({@code prefix=}), or ""
 * @param sigIss      per-route Grip-Sig issuer, or null
 * @param sigKey      per-route Grip-Sig key, or null (both must be set to apply)
 * @param asHost      {@code as_host=}, or null
 * @param pathRemove  {@code path_rem=} bytes, 0 = none
 * @param replaceBeg  {@code replace_beg=}, or null
 * @param headers     {@code header=Name:Value}, in order; an empty value means "remove"
 * @param noGrip      {@code no_grip}
 * @param debug       {@code debug}
 * @param autoCrossOrigin {@code aco}
 * @param jsonp       JSON-P props ({@code jsonp_mode}, {@code jsonp_cb}, {@code jsonp_body}, {@code jsonp_defcb},
 *                    {@code jsonp_defmethod}) as given
 * @param origHeaders {@code orig_headers}
 * @param session     {@code session}
 * @param sockjs      {@code sockjs=}, or null
 * @param sockjsAsPath {@code sockjs_as_path=}, or null
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
        List<Target> targets,
        int line) {
}
