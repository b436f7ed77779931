package org.pushpin.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code [proxy]} section: everything the forwarding path needs. Built by {@link ConfigLoader}.
 *
 * @param routesFile      the routes file, resolved against the config directory
 * @param routeLines      routes given with {@code --route}; when non-empty they replace the routes file (no reload)
 * @param maxOpenRequests {@code max_open_requests}, -1 = unlimited
 * @param sockjsUrl       {@code sockjs_url}: the SockJS client script the SockJS iframe page loads
 * @param cdnLoop         {@code cdn_loop} (Pushpin 1.37): added to the CDN-Loop header of origin requests; "" = off
 */
public record ProxyConfig(
        Path routesFile,
        List<String> routeLines,
        boolean debug,
        boolean autoCrossOrigin,
        boolean acceptXForwardedProtocol,
        ForwardedProtoMode setXForwardedProtocol,
        XffPolicy xForwardedFor,
        XffPolicy xForwardedForTrusted,
        List<String> origHeadersNeedMark,
        boolean acceptPushpinRoute,
        boolean logFrom,
        boolean logUserAgent,
        String sigIss,
        String sigKey,
        String upstreamKey,
        int maxOpenRequests,
        String sockjsUrl,
        String cdnLoop) {
    /** Pushpin's default {@code sockjs_url}. */
    public static final String DEFAULT_SOCKJS_URL = "http://cdn.jsdelivr.net/sockjs/0.3.4/sockjs.min.js";
}
