package org.pushpin.proxy;

/** What the request log and the origin request need to know about a client request besides its head. */
final class RequestInfo {
    private final String uri;
    private final String host;
    private final boolean tls;
    private final String clientIp;
    private final long startNanos = System.nanoTime();
    private int status;

    RequestInfo(String uri, String host, boolean tls, String clientIp) {
        this.uri = uri;
        this.host = host;
        this.tls = tls;
        this.clientIp = clientIp;
    }

    /** The request-target as the client sent it (path and query). */
    String uri() {
        return uri;
    }

    /** The Host header value as sent (with port), or "localhost" when absent. */
    String host() {
        return host;
    }

    boolean tls() {
        return tls;
    }

    String clientIp() {
        return clientIp;
    }

    long startNanos() {
        return startNanos;
    }

    int status() {
        return status;
    }

    void status(int status) {
        this.status = status;
    }

    /** {@code http://host/path} as Pushpin logs it. */
    String url() {
        return (tls ? "https://" : "http://") + host + uri;
    }
}
