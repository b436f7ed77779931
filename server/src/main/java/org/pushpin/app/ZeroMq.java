package org.pushpin.app;

import java.util.ArrayList;
import java.util.List;
import org.pushpin.broker.Broker;
import org.pushpin.broker.InterestBroker;
import org.pushpin.config.HandlerConfig;
import org.pushpin.hub.Hub;
import org.pushpin.ingest.CommandSocket;
import org.pushpin.ingest.ZmqPullInput;
import org.pushpin.ingest.ZmqSpecs;
import org.pushpin.ingest.ZmqSubInput;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.monitor.StatsSocket;
import org.pushpin.publish.Input;
import org.pushpin.publish.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The server's ZeroMQ sockets (publish inputs, command socket) and their one {@link ZContext}: built from the
 * {@code [handler]} specs, each socket only when its spec is set and usable; a spec that cannot be used (ipc://)
 * is warned about at start-up and that socket stays closed. Closes the context after its sockets.
 */
final class ZeroMq implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroMq.class);

    private final HandlerConfig config;
    private final ServerMetrics metrics;
    private ZContext context;
    private ZmqSubInput sub;
    private StatsSocket stats;
    private final List<Input> inputs = new ArrayList<>();

    ZeroMq(HandlerConfig config, ServerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    private ZContext context() {
        if (context == null) {
            context = new ZContext(1);
        }
        return context;
    }

    private static boolean usable(String key, String spec) {
        if (spec == null || spec.isEmpty()) {
            return false;
        }
        String problem = ZmqSpecs.problem(spec);
        if (problem != null) {
            LOG.warn("{}={}: {}; that socket is not opened", key, spec, problem);
            return false;
        }
        return true;
    }

    /** The broker the hub gets: wrapped so the SUB input learns which channels are held, when there is one. */
    Broker wrap(Broker broker) {
        List<String> specs = config.pushInSubSpecs().stream().filter(s -> usable("push_in_sub_specs", s)).toList();
        if (specs.isEmpty()) {
            return broker;
        }
        sub = ZmqSubInput.create(context(), metrics, config.wildcardChannels());
        return new InterestBroker(broker, sub);
    }

    /** Opens the inputs once the hub exists; returns them (the server closes them first). */
    List<Input> open(Publisher publisher) {
        if (sub != null) {
            List<String> specs = config.pushInSubSpecs().stream().filter(s -> ZmqSpecs.problem(s) == null).toList();
            sub.open(publisher, specs, config.pushInSubConnect());
            inputs.add(sub);
        }
        boolean pull = usable("push_in_spec", config.pushInSpec());
        if (pull) {
            inputs.add(ZmqPullInput.start(context(), config.pushInSpec(), publisher, metrics));
        }
        if (usable("command_spec", config.commandSpec())) {
            String subBound = sub != null && !config.pushInSubConnect()
                    ? config.pushInSubSpecs().stream().filter(s -> ZmqSpecs.problem(s) == null).findFirst()
                            .orElse(null)
                    : null;
            inputs.add(CommandSocket.start(context(), publisher, metrics,
                    new CommandSocket.Uris(config.commandSpec(), pull ? config.pushInSpec() : null, subBound)));
        }
        return inputs;
    }

    /**
     * Opens the stats socket when {@code stats_spec} is usable; before clients connect.
     *
     * @param connectionTtl {@code stats_connection_ttl} (a global setting)
     * @param from          the instance id every packet carries
     */
    void openStats(Hub hub, int connectionTtl, String from) {
        if (usable("stats_spec", config.statsSpec())) {
            stats = StatsSocket.start(context(), new StatsSocket.Settings(config.statsSpec(), config.statsFormat(),
                    config.statsReportInterval(), connectionTtl, config.statsSubscriptionTtl(), from), metrics, hub);
        }
    }

    /** Whether the stats or the command socket will open: then connections must be known by id. */
    boolean connectionIdsWanted() {
        return usableQuietly(config.statsSpec()) || usableQuietly(config.commandSpec());
    }

    private static boolean usableQuietly(String spec) {
        return spec != null && !spec.isEmpty() && ZmqSpecs.problem(spec) == null;
    }

    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
        for (Input in : inputs) {
            in.close();
        }
        if (sub != null && !inputs.contains(sub)) {
            sub.close();
        }
        if (context != null) {
            context.close();
        }
    }
}
