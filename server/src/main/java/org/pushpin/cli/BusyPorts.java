package org.pushpin.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pushpin.config.HandlerConfig;
import org.pushpin.config.ListenSpec;
import org.pushpin.config.PushpinConfig;

/**
 * After a start failed with "Address already in use" (which names no address: Netty's and JeroMQ's errors do not),
 * finds which of the configured TCP ports another process holds, by trying to bind each one (ours are closed by
 * then), so that the error names the setting to change.
 */
final class BusyPorts {
    private BusyPorts() {
    }

    /** True when {@code e} or one of its causes says an address is in use. */
    static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // (JeroMQ's ZMQException says it in toString() only: its message is "Errno 48")
            if (t instanceof java.net.BindException || t.toString().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** {@code "[runner] http_port 127.0.0.1:7999"} for each configured TCP address that cannot be bound now. */
    static List<String> of(PushpinConfig config) {
        Map<String, InetSocketAddress> wanted = new LinkedHashMap<>();
        for (ListenSpec s : config.runner().httpPorts()) {
            wanted.put("[runner] http_port " + s.host() + ":" + s.port(), address(s.host(), s.port()));
        }
        for (ListenSpec s : config.runner().httpsPorts()) {
            wanted.put("[runner] https_ports " + s.host() + ":" + s.port(), address(s.host(), s.port()));
        }
        HandlerConfig h = config.handler();
        if (h.pushInHttpPort() >= 0) {
            wanted.put("[handler] push_in_http_port " + h.pushInHttpAddr() + ":" + h.pushInHttpPort(),
                    address(h.pushInHttpAddr(), h.pushInHttpPort()));
        }
        zmq(wanted, "[handler] push_in_spec", h.pushInSpec());
        if (!h.pushInSubConnect()) {
            for (String spec : h.pushInSubSpecs()) {
                zmq(wanted, "[handler] push_in_sub_specs", spec);
            }
        }
        zmq(wanted, "[handler] command_spec", h.commandSpec());
        zmq(wanted, "[handler] stats_spec", h.statsSpec());
        if (h.prometheus() != null && h.prometheus().unixPath() == null) {
            wanted.put("[handler] prometheus_port " + h.prometheus().port(),
                    address(h.prometheus().host(), h.prometheus().port()));
        }
        List<String> busy = new ArrayList<>();
        wanted.forEach((name, addr) -> {
            if (addr != null && addr.getPort() > 0 && !bindable(addr)) {
                busy.add(name);
            }
        });
        return busy;
    }

    private static void zmq(Map<String, InetSocketAddress> wanted, String key, String spec) {
        if (spec == null || !spec.startsWith("tcp://")) {
            return;
        }
        try {
            URI u = URI.create(spec.replace("tcp://*:", "tcp://0.0.0.0:"));
            wanted.put(key + " " + spec, address(u.getHost(), u.getPort()));
        } catch (IllegalArgumentException e) {
            // a spec the server refused for another reason: not ours to judge here
        }
    }

    private static InetSocketAddress address(String host, int port) {
        if (port <= 0) {
            return null;
        }
        return host == null || host.isEmpty() || host.equals("*") ? new InetSocketAddress(port)
                : new InetSocketAddress(host.replace("[", "").replace("]", ""), port);
    }

    private static boolean bindable(InetSocketAddress addr) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(addr);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
