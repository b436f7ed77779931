package org.pushpin.app;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pushpin.broker.Broker;
import org.pushpin.broker.EmbeddedBroker;
import org.pushpin.broker.RedisBroker;
import org.pushpin.config.ConfigException;
import org.pushpin.config.PushpinConfig;
import org.pushpin.config.TimeoutsConfig;
import org.pushpin.config.UnappliedSettings;
import org.pushpin.hold.HoldHandoff;
import org.pushpin.hold.WsGripSessions;
import org.pushpin.hub.Hub;
import org.pushpin.ingest.ControlApiServer;
import org.pushpin.ingest.ControlHealth;
import org.pushpin.monitor.ConnectionMinutes;
import org.pushpin.monitor.PrometheusEndpoint;
import org.pushpin.monitor.PrometheusMetrics;
import org.pushpin.metrics.HeapPressure;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.OpenRequests;
import org.pushpin.proxy.ProxyContext;
import org.pushpin.publish.Input;
import org.pushpin.publish.Publisher;
import org.pushpin.routing.RouteSource;
import org.pushpin.routing.RouteSources;
import org.pushpin.routing.RoutesFile;
import org.pushpin.server.Listeners;
import org.pushpin.sockjs.SockJsEndpoint;
import org.pushpin.transport.Transport;
import org.pushpin.zhttp.client.ZhttpServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server and the one place that wires it: metrics, broker, hub, holds, proxy, client listeners and
 * publish inputs. Nothing below this package builds another part; each gets what it needs from here.
 *
 * <pre>
 * inputs (control API, ...) ─▶ Publisher = Hub ─▶ Broker ─▶ Hub fanout ─▶ holds (Subscriber,
 *                                                                          DeliveryKind)
 * listeners ─▶ client pipeline ─▶ proxy ─▶ GripHandoff = HoldHandoff ─▶ holds ─ subscribe ─▶ Hub
 * </pre>
 */
public final class PushpinServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushpinServer.class);

    private final ServerMetrics metrics = new ServerMetrics();
    private final EventLoopGroup group;
    private final RouteSource routes;
    private final List<Input> inputs = new ArrayList<>();
    private Listeners listeners;
    private Hub hub;
    private ControlApiServer control;
    private EventLoopGroup controlGroup;
    private ZeroMq zeroMq;
    private ConnectionMinutes minutes;
    private ProxyContext context;
    private WsGripSessions wsSessions;
    private PrometheusEndpoint prometheus;
    /** The configuration in force: as started, then with what each SIGHUP applied ({@link #reconfigure}). */
    private volatile PushpinConfig config;
    private HeapPressure heap = HeapPressure.off();

    /**
     * How long a ZHTTP session waits to hear from its service, in ms (Pushpin's 60 s by default); a system property
     * so tests of an absent service need not wait a minute.
     */
    static final String ZHTTP_EXPIRE_PROPERTY = "pushpin.zhttp.session_expire_ms";

    private PushpinServer(EventLoopGroup group, RouteSource routes, PushpinConfig config) {
        this.group = group;
        this.routes = routes;
        this.config = config;
    }

    /**
     * Binds every listener of {@code config} (port 0 = ephemeral), the HTTP control API when
     * {@code push_in_http_port} is set, and starts serving with the broker {@code [cluster]} names (the in-process
     * one by default, Redis with {@code broker=redis}).
     */
    public static PushpinServer start(PushpinConfig config) throws Exception {
        return start(config, null);
    }

    /**
     * As {@link #start(PushpinConfig)}, with publishes shared through {@code broker} (closed with the server), or
     * through the one {@code [cluster]} names when it is null.
     */
    public static PushpinServer start(PushpinConfig config, Broker broker) throws Exception {
        Transport transport = Transport.best();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = transport.newGroup(threads, new DefaultThreadFactory("pushpin-io", true));
        RouteSource routes = null;
        PushpinServer server = null;
        try {
            routes = RouteSources.open(config.proxy());
            server = new PushpinServer(group, routes, config);
            // /health watches the Redis broker's connection only when that broker counts into our metrics
            boolean redisBroker = broker == null && config.cluster().redis();
            if (broker == null) {
                broker = redisBroker ? new RedisBroker(config.cluster(), server.metrics,
                        config.handler().wildcardChannels(), config.handler().history())
                        : new EmbeddedBroker();
            }
            server.zeroMq = new ZeroMq(config.handler(), server.metrics);
            Hub hub = new Hub(config.handler(), HoldHandoff.deliveryKinds(), server.zeroMq.wrap(broker),
                    server.metrics);
            server.hub = hub;
            server.wsSessions = new WsGripSessions(hub, server.metrics, config.handler().connectionSubscriptionMax());
            int heapPercent = config.timeouts().heapPressurePercent();
            server.heap = HeapPressure.watch(heapPercent, heapPercent - TimeoutsConfig.HEAP_PRESSURE_HYSTERESIS);
            ProxyContext context = server.context = new ProxyContext(config, routes,
                    new HoldHandoff(hub, server.metrics, transport, config.handler().updateOnFirstSubscription(),
                            config.handler().httpFilters()),
                    server.wsSessions, transport, server.metrics, server.heap,
                    new ZhttpServices(Long.getLong(ZHTTP_EXPIRE_PROPERTY, ZhttpServices.SESSION_EXPIRE_MILLIS)));
            context.sockJs(new SockJsEndpoint(() -> context.config().proxy().sockjsUrl()));
            context.zhttpServices().follow(routes, group.next());
            String instance = "pushpin-handler_" + ProcessHandle.current().pid();
            if (server.zeroMq.connectionIdsWanted()) {
                server.metrics.connections().enable(instance);
            }
            server.zeroMq.openStats(hub, config.statsConnectionTtl(), instance);
            server.listeners = new Listeners(group, transport, context, config.runner().clientMaxconn(), threads);
            server.listeners.bindAll(config.runner());
            // Publishers get their own loop: a busy fanout on the client loops must not keep a publish waiting for
            // its answer (as Pushpin's handler is apart from its connection manager). The hub queue is in between.
            EventLoopGroup controlLoop = group;
            if (config.handler().pushInHttpPort() >= 0) {
                controlLoop = server.controlGroup = transport.newGroup(1,
                        new DefaultThreadFactory("pushpin-control", true));
            }
            server.control = ControlApiServer.start(controlLoop, transport, config.handler(), hub,
                    new ControlHealth(server.metrics, redisBroker));
            server.inputs.add(server.control);
            server.zeroMq.open(hub);
            if (config.handler().prometheus() != null) {
                server.minutes = new ConnectionMinutes(server.metrics, group.next());
                server.prometheus = PrometheusEndpoint.start(group, transport, config.handler().prometheus(),
                        new PrometheusMetrics(server.metrics, server.minutes, server.heap,
                                config.handler().prometheusPrefix()));
            }
            for (String warning : UnappliedSettings.of(config)) {
                LOG.warn("{}", warning);
            }
            LOG.info("pushpin-java started ({} transport, {} event loops)", transport.name().toLowerCase(), threads);
            return server;
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            } else {
                if (broker != null) {
                    broker.close();
                }
                if (routes instanceof AutoCloseable c) {
                    c.close();
                }
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
    }

    /**
     * Listens on Netty's in-JVM transport as {@code new LocalAddress(name)} ({@code name} unique in this JVM),
     * through the same pipeline, limits and hub as the configured listeners; a program in this JVM connects a
     * {@code LocalChannel} to the returned address. The origins of requests that arrive this way are reached over the
     * in-JVM transport too: a route target {@code host:port} means {@code new LocalAddress("host:port")}, bound by
     * the in-JVM origin. Also binds {@code name@k} for each in-JVM loop k (see {@link #inJvmAddressOn}). Closed by
     * {@link #close()}.
     */
    public LocalAddress listenInJvm(String name) throws InterruptedException {
        return listeners.listenInJvm(name);
    }

    /**
     * The event loops of in-JVM connections (null before {@link #listenInJvm}): in-JVM clients may run on them too,
     * so that a client and its server end can share a loop.
     */
    public EventLoopGroup inJvmLoops() {
        return listeners.inJvmLoops();
    }

    /**
     * For in-JVM clients that run on {@link #inJvmLoops()} themselves: the address (of the last
     * {@link #listenInJvm}) whose connections are served on {@code loop}, so that a client and its server end share
     * one loop and hand bytes over without a task between threads; null for another loop.
     */
    public LocalAddress inJvmAddressOn(EventLoop loop) {
        return listeners.inJvmAddressOn(loop);
    }

    /** The configuration in force (the one started with, as SIGHUPs changed it). */
    public PushpinConfig config() {
        return config;
    }

    /**
     * SIGHUP: applies the settings of {@code inFile} that can change while running ({@link LiveSettings}); the
     * others keep their running values. Returns the configuration now in force.
     *
     * @throws ConfigException when a setting cannot be applied (a signing key that cannot be read); then nothing is
     */
    public synchronized PushpinConfig reconfigure(PushpinConfig inFile) throws ConfigException {
        PushpinConfig next = LiveSettings.merge(config, inFile);
        context.reconfigure(next);
        hub.reconfigure(next.handler());
        wsSessions.subscriptionMax(next.handler().connectionSubscriptionMax());
        config = next;
        return next;
    }

    /** Re-reads the routes file now (SIGHUP); a no-op for {@code --route} lines. */
    public void reloadRoutes() {
        if (routes instanceof RoutesFile file) {
            file.reload();
        }
    }

    /** The bound plain HTTP addresses, in config order (actual ports when 0 was asked). */
    public List<InetSocketAddress> httpAddresses() {
        return listeners.httpAddresses();
    }

    /** The bound TLS addresses, in config order. */
    public List<InetSocketAddress> httpsAddresses() {
        return listeners.httpsAddresses();
    }

    /** The bound HTTP control API address, or null when {@code push_in_http_port} is unset. */
    public InetSocketAddress controlAddress() {
        return control == null ? null : control.address();
    }

    /** Where in-process publishers hand their items (the same entry point as every input's). */
    public Publisher publisher() {
        return hub;
    }

    /** The hub (for in-process tools that look at subscriptions). */
    public Hub hub() {
        return hub;
    }

    /** {@code max_open_requests}: the requests being proxied now and those waiting for room. */
    public OpenRequests openRequests() {
        return context.openRequests();
    }

    /** This server's counters. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Stops gracefully (SIGTERM): new connections are refused, every held client is told to reconnect (a stream
     * ends, a long-poll gets its timeout answer, a GRIP WebSocket is closed with 1012), and the clients still open
     * get up to {@code grace} to finish; then {@link #close}. Returns how many connections were still open at the end.
     */
    public long drain(java.time.Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        if (context != null) {
            context.draining();
        }
        if (listeners != null) {
            listeners.close();
        }
        if (context != null) {
            context.zhttpServices().close();
        }
        if (hub != null) {
            hub.drain().awaitUninterruptibly(Math.max(1, grace.toMillis()));
        }
        long open;
        while ((open = metrics.connectionsOpen()) > 0
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50); // polling a count: no event marks the last connection's close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        return open;
    }

    private boolean closed;

    /** Stops the inputs, then accepting, closes every connection and the event loops; waits until done. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Input in : inputs) {
            in.close();
        }
        if (zeroMq != null) {
            zeroMq.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (minutes != null) {
            minutes.close();
        }
        if (controlGroup != null) {
            controlGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (listeners != null) {
            listeners.close();
        }
        if (context != null) {
            context.zhttpServices().close();
        }
        if (routes instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing routes", e);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (hub != null) {
            hub.close();
        }
        heap.close();
    }
}
