package org.pushpin.app;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import org.pushpin.config.ClusterConfig;
import org.pushpin.config.HandlerConfig;
import org.pushpin.config.ProxyConfig;
import org.pushpin.config.PushpinConfig;
import org.pushpin.config.RunnerConfig;
import org.pushpin.config.TimeoutsConfig;

/**
 * Which settings of {@code pushpin.conf} a SIGHUP applies to the running server, by section and record field
 * ({@code handler.messageHwm}). The rest — listeners and sockets, files and directories, the stats socket, the
 * cluster broker — keeps its value until the next restart. A setting is here only if the part that uses it reads
 * it where it uses it ({@link PushpinServer#reconfigure}), so the list is what the server actually does.
 */
public final class LiveSettings {
    /** Applied on SIGHUP; a change reaches what starts after it (the next request, publish, subscription). */
    static final Set<String> LIVE = Set.of(
            "runner.logLevels", // applied by the command line's logging, the rest by the server
            "runner.clientBufferSize",
            "proxy.debug", "proxy.autoCrossOrigin", "proxy.acceptXForwardedProtocol", "proxy.setXForwardedProtocol",
            "proxy.xForwardedFor",
            "proxy.xForwardedForTrusted", "proxy.acceptPushpinRoute", "proxy.logFrom", "proxy.logUserAgent",
            "proxy.sigIss", "proxy.sigKey", "proxy.upstreamKey",
            "handler.messageRate", "handler.messageHwm", "handler.messageBlockSize", "handler.messageWait",
            "handler.idCacheTtl", "handler.connectionSubscriptionMax", "handler.subscriptionLinger", "handler.shareAll",
            "timeouts.clientRequestSeconds", "timeouts.originSeconds", "timeouts.shutdownGraceSeconds",
            "timeouts.clientMaxHeaders");

    /** Read but not used by this server at all (warned at start-up, config.UnappliedSettings): no restart helps. */
    private static final Set<String> UNUSED = Set.of();

    private LiveSettings() {
    }

    /** Whether {@code setting} ({@code section.field}) is read but not used by this server. */
    public static boolean unused(String setting) {
        return UNUSED.contains(setting);
    }

    /** {@code running} with the live settings of {@code inFile}: what the server runs with after a SIGHUP. */
    static PushpinConfig merge(PushpinConfig running, PushpinConfig inFile) {
        return new PushpinConfig(running.configFile(), running.configDir(), running.instanceId(),
                running.portOffset(), running.statsConnectionTtl(),
                merge("runner", running.runner(), inFile.runner(), RunnerConfig.class),
                merge("proxy", running.proxy(), inFile.proxy(), ProxyConfig.class),
                merge("handler", running.handler(), inFile.handler(), HandlerConfig.class),
                merge("cluster", running.cluster(), inFile.cluster(), ClusterConfig.class),
                merge("timeouts", running.timeouts(), inFile.timeouts(), TimeoutsConfig.class));
    }

    /** A record of {@code type} with each live component from {@code inFile}, every other from {@code running}. */
    private static <R extends Record> R merge(String section, R running, R inFile, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                values[i] = c.getAccessor().invoke(LIVE.contains(section + "." + c.getName()) ? inFile : running);
            }
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // the canonical constructor of a public record
        }
    }
}
