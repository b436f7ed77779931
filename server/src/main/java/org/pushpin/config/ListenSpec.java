package org.pushpin.config;

/**
 * One listening address from {@code http_port}, {@code https_ports} or {@code --port}.
 *
 * @param host the address to bind, or {@code null} for all interfaces (IPv6 literals without brackets)
 * @param port the TCP port
 */
public record ListenSpec(String host, int port) {
    @Override
    public String toString() {
        if (host == null) {
            return Integer.toString(port);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
