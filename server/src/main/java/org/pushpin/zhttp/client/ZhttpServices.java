package org.pushpin.zhttp.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.zeromq.ZContext;

/**
 * The ZHTTP services of one server, one per target spec and mode, bound when a request first needs one and kept
 * until the server closes; they share one ZeroMQ context and one instance id (Pushpin's {@code from}).
 */
public final class ZhttpServices implements AutoCloseable {
    /** How long a session lives without hearing from its service (Pushpin: 60 s). */
    public static final long SESSION_EXPIRE_MILLIS = 60_000;

    private final long expireMillis;
    private final byte[] instanceId;
    private final Map<String, ZhttpService> services = new ConcurrentHashMap<>();
    private ZContext zmq;
    private boolean closed;

    /** @param expireMillis how long a session lives without hearing from its service */
    public ZhttpServices(long expireMillis) {
        this.expireMillis = expireMillis;
        this.instanceId = ("pushpin-proxy_" + ProcessHandle.current().pid() + "_"
                + Integer.toHexString(System.identityHashCode(this))).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The service of {@code zhttpreq/spec} ({@code requestMode}) or {@code zhttp/spec}, bound now if it is not yet.
     *
     * @throws IllegalArgumentException when its sockets cannot be bound (the message says why)
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized ZhttpService service(boolean requestMode, String spec) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        String key = (requestMode ? "zhttpreq/" : "zhttp/") + spec;
        ZhttpService s = services.get(key);
        if (s == null) {
            if (zmq == null) {
                zmq = new ZContext(1);
            }
            s = new ZhttpService(zmq, requestMode, spec, instanceId, expireMillis);
            services.put(key, s);
        }
        return s;
    }

    @Override
    public synchronized void close() {
        closed = true;
        services.values().forEach(ZhttpService::close);
        services.clear();
        if (zmq != null) {
            zmq.close();
        }
    }
}
