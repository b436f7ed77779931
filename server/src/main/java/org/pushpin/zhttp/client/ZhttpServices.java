package org.pushpin.zhttp.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pushpin.routing.Route;
import org.pushpin.routing.RouteSource;
import org.pushpin.routing.RouteTable;
import org.pushpin.routing.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The ZHTTP services of one server, one per target spec and mode, kept until the server closes; they share one
 * ZeroMQ context and one instance id (Pushpin's {@code from}). As Pushpin binds a target's sockets when its routes
 * line is loaded (so services can connect before the first request), {@link #follow} binds those of every table
 * the routes source gives, at start and after each reload; a request for a target not bound yet binds it.
 */
public final class ZhttpServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("proxy");

    /** How long a session lives without hearing from its service (Pushpin: 60 s). */
    public static final long SESSION_EXPIRE_MILLIS = 60_000;

    private final long expireMillis;
    private final byte[] instanceId;
    private final Map<String, ZhttpService> services = new ConcurrentHashMap<>();
    private ZContext zmq;
    private boolean closed;
    private ScheduledFuture<?> following;
    /** The table last set up from; the follower's thread only. */
    private RouteTable followed;

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

    /**
     * Binds the services of {@code routes}' current table now, and of each new table (a reload) within a second,
     * checked on {@code executor}. A target that cannot be bound is warned about; its requests get a 502.
     */
    public void follow(RouteSource routes, ScheduledExecutorService executor) {
        setUp(routes.current());
        synchronized (this) {
            if (!closed) {
                following = executor.scheduleWithFixedDelay(() -> setUp(routes.current()), 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    private void setUp(RouteTable table) {
        if (table == followed) {
            return;
        }
        followed = table;
        for (Route route : table.routes()) {
            for (Target t : route.targets()) {
                if (t.kind() != Target.Kind.ZHTTP && t.kind() != Target.Kind.ZHTTPREQ) {
                    continue;
                }
                try {
                    service(t.kind() == Target.Kind.ZHTTPREQ, t.zhttpSpec());
                } catch (IllegalArgumentException e) {
                    LOG.warn("{}: {}", t.address(), e.getMessage());
                } catch (IllegalStateException e) {
                    return; // closed
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (following != null) {
            following.cancel(false);
        }
        services.values().forEach(ZhttpService::close);
        services.clear();
        if (zmq != null) {
            zmq.close();
        }
    }
}
