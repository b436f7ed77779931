package org.pushpin.proxy;

import java.util.Map;
import org.pushpin.routing.Route;

/**
 * A route's JSON-P options ({@code jsonp_mode}, {@code jsonp_cb}, {@code jsonp_body}, {@code jsonp_defcb},
 * {@code jsonp_defmethod}) with Pushpin's defaults filled in.
 *
 * @param extended      {@code jsonp_mode=extended} (the default) rather than {@code basic}
 * @param callbackParam the query parameter naming the callback ({@code callback})
 * @param bodyParam     the query parameter carrying a JSON request body, or null ({@code _body} is read instead)
 * @param defaultCallback the callback when none is named (only with {@code bodyParam} present), or null
 * @param defaultMethod the method sent to the origin without {@code _method}: POST in basic mode, GET in extended
 */
record JsonpSettings(boolean extended, String callbackParam, String bodyParam, String defaultCallback,
                     String defaultMethod) {
    /** A route's settings; {@code route} null (no route matched): the defaults. */
    static JsonpSettings of(Route route) {
        Map<String, String> p = route == null ? Map.of() : route.jsonp();
        boolean extended = !"basic".equals(p.get("jsonp_mode"));
        String method = nonEmpty(p.get("jsonp_defmethod"));
        return new JsonpSettings(extended, p.getOrDefault("jsonp_cb", "").isEmpty() ? "callback" : p.get("jsonp_cb"),
                nonEmpty(p.get("jsonp_body")), nonEmpty(p.get("jsonp_defcb")),
                method != null ? method : extended ? "GET" : "POST");
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
