package org.pushpin.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.app.PushpinServer;

/**
 * The one line that says the server is ready and where a person reaches it: each client listener with its scheme
 * (the per-listener lines before it do not say which are TLS) and the control API, then our version.
 */
final class ReadyLine {
    private ReadyLine() {
    }

    static String of(PushpinServer server) {
        List<String> parts = new ArrayList<>();
        for (InetSocketAddress a : server.httpAddresses()) {
            parts.add("http://" + hostPort(a));
        }
        for (InetSocketAddress a : server.httpsAddresses()) {
            parts.add("https://" + hostPort(a));
        }
        for (Path p : server.config().runner().localPorts()) {
            parts.add("unix:" + p);
        }
        String listeners = parts.isEmpty() ? "no client listener" : String.join(", ", parts);
        InetSocketAddress control = server.controlAddress();
        return "ready: clients on " + listeners
                + (control == null ? "; no HTTP control API" : "; control API on http://" + hostPort(control))
                + " (pushpin-java " + Versions.own() + ", Pushpin " + Versions.PUSHPIN + " compatible)";
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
            host = "*";
        } else if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }
}
