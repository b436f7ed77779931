package org.pushpin.ingest;

import org.zeromq.ZMQ;

/**
 * ZeroMQ endpoint specs as pushpin.conf gives them. JeroMQ (pure Java) has no Unix-domain {@code ipc://}: it emulates
 * ipc with a TCP port that libzmq peers cannot find, so an {@code ipc://} spec is refused with a clear message (the
 * caller logs it and leaves that socket closed) rather than bound where nobody can reach it. Use {@code tcp://}.
 */
public final class ZmqSpecs {
    private ZmqSpecs() {
    }

    /** Why {@code spec} cannot be used, or null when it can. */
    public static String problem(String spec) {
        if (spec.startsWith("ipc://")) {
            return "ipc:// is not supported (JeroMQ cannot bind a Unix socket that libzmq peers reach); use tcp://";
        }
        if (!spec.startsWith("tcp://")) {
            return "unsupported transport (tcp:// only)";
        }
        return null;
    }

    static void bind(ZMQ.Socket socket, String spec) {
        check(spec);
        socket.bind(spec);
    }

    static void connect(ZMQ.Socket socket, String spec) {
        check(spec);
        socket.connect(spec);
    }

    private static void check(String spec) {
        String p = problem(spec);
        if (p != null) {
            throw new IllegalArgumentException(spec + ": " + p);
        }
    }
}
