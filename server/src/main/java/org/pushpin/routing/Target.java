package org.pushpin.routing;

import java.util.List;

/**
 * One target of a route: an origin {@code HOST:PORT}, or the built-in {@code test} target, or a ZeroMQ
 * {@code zhttp/}/{@code zhttpreq/} service (ZHTTP over ZeroMQ, stream or request mode).
 *
 * <p>Flag props count by presence, as in Pushpin ({@code ssl=no} on a target still means ssl). The zhttp-only
 * {@code ipc_file_mode} prop is accepted and ignored (only tcp:// specs can be bound).
 *
 * @param kind      what the target is
 * @param host      origin host (IPv6 without brackets); null for {@code test}
 * @param port      origin port; 0 for {@code test}
 * @param ssl       {@code ssl}: https/wss to the origin
 * @param insecure  {@code insecure}: skip certificate checks
 * @param trustConnectHost {@code trust_connect_host}
 * @param hostHeader {@code host=H[:P]} value sent as Host, or null
 * @param overHttp  {@code over_http}: WebSocket-over-HTTP
 * @param oneEvent  {@code one_event}
 * @param subscriptions {@code sub=} channels (implicit subscriptions), in order
 * @param untrusted {@code untrusted}
 * @param zhttpSpec the spec after {@code zhttp/} or {@code zhttpreq/}, else null
 * @param clientIdentity {@code client_cert} and {@code client_key}: the TLS client certificate shown to an
 *                  {@code ssl} origin, or null
 */
public record Target(
        Kind kind,
        String host,
        int port,
        boolean ssl,
        boolean insecure,
        boolean trustConnectHost,
        String hostHeader,
        boolean overHttp,
        boolean oneEvent,
        List<String> subscriptions,
        boolean untrusted,
        String zhttpSpec,
        ClientIdentity clientIdentity) {

    public enum Kind { ORIGIN, TEST, ZHTTP, ZHTTPREQ }

    /** {@code host:port} as Pushpin prints it in logs and error messages. */
    public String address() {
        return switch (kind) {
            case TEST -> "test";
            case ZHTTP -> "zhttp/" + zhttpSpec;
            case ZHTTPREQ -> "zhttpreq/" + zhttpSpec;
            case ORIGIN -> (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        };
    }
}
