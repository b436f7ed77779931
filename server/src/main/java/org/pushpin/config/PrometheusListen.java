package org.pushpin.config;

/**
 * Where the Prometheus endpoint listens ({@code prometheus_port}): {@code PORT} (every interface), {@code ADDR:PORT},
 * or {@code ipc://PATH} (a Unix socket). Exactly one of {@code port}/{@code unixPath} is set.
 *
 * @param host     the address for {@code ADDR:PORT}, or null (every interface)
 * @param port     the TCP port, or -1 with a Unix socket
 * @param unixPath the Unix socket path for {@code ipc://}, or null
 */
public record PrometheusListen(String host, int port, String unixPath) {
    /** Parses a non-empty {@code prometheus_port} value; throws {@link IllegalArgumentException} saying why not. */
    public static PrometheusListen parse(String value) {
        String v = value.strip();
        if (v.startsWith("ipc://")) {
            String path = v.substring("ipc://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("ipc:// without a path");
            }
            return new PrometheusListen(null, -1, path);
        }
        ListenSpec spec = ListenSpec.parse(v);
        return new PrometheusListen(spec.host(), spec.port(), null);
    }
}
