package org.pushpin.config;

import java.util.List;

/**
 * The {@code [handler]} section: publishing inputs and hold limits (used by the holds and publishing issues).
 * Values that are unlimited in Pushpin's code are represented by -1. {@code pushInHttpPort} is -1 when unset
 * (no HTTP control server); it already has {@code port_offset} added. A spec that is empty (missing from the
 * file, as in Pushpin's code) means that socket is not opened; specs already have {@code {rundir}},
 * {@code {ipc_prefix}} and the port offset applied. {@code prometheus} is null when {@code prometheus_port} is unset.
 * {@code updateOnFirstSubscription} is Pushpin 1.41's {@code update_on_first_subscription} (default true);
 * {@code httpFilters} is ours, {@code http_filters} (default false): whether the http-check and http-modify filters of
 * Pushpin's 2.0 work act. {@code wildcardChannels} is ours, {@code wildcard_channels} (default false): whether a
 * channel name ending in {@code *} subscribes to every channel with that prefix (docs/wildcard-channels.md).
 * {@code history} is ours too ({@code history_size}, {@code history_ttl}; docs/history.md).
 */
public record HandlerConfig(
        String pushInSpec,
        List<String> pushInSubSpecs,
        boolean pushInSubConnect,
        String pushInHttpAddr,
        int pushInHttpPort,
        int pushInHttpMaxHeadersSize,
        int pushInHttpMaxBodySize,
        String statsSpec,
        String commandSpec,
        int messageRate,
        int messageHwm,
        int messageBlockSize,
        int messageWait,
        int idCacheTtl,
        int connectionSubscriptionMax,
        int subscriptionLinger,
        int statsSubscriptionTtl,
        int statsReportInterval,
        String statsFormat,
        PrometheusListen prometheus,
        String prometheusPrefix,
        boolean shareAll,
        boolean updateOnFirstSubscription,
        boolean httpFilters,
        boolean wildcardChannels,
        HistoryConfig history) {

    /**
     * With {@code update_on_first_subscription}, {@code http_filters}, {@code wildcard_channels} and history at their
     * defaults (true, false, false, off).
     */
    public HandlerConfig(String pushInSpec, List<String> pushInSubSpecs, boolean pushInSubConnect,
                         String pushInHttpAddr, int pushInHttpPort, int pushInHttpMaxHeadersSize,
                         int pushInHttpMaxBodySize, String statsSpec, String commandSpec, int messageRate,
                         int messageHwm, int messageBlockSize, int messageWait, int idCacheTtl,
                         int connectionSubscriptionMax, int subscriptionLinger, int statsSubscriptionTtl,
                         int statsReportInterval, String statsFormat, PrometheusListen prometheus,
                         String prometheusPrefix, boolean shareAll) {
        this(pushInSpec, pushInSubSpecs, pushInSubConnect, pushInHttpAddr, pushInHttpPort, pushInHttpMaxHeadersSize,
                pushInHttpMaxBodySize, statsSpec, commandSpec, messageRate, messageHwm, messageBlockSize, messageWait,
                idCacheTtl, connectionSubscriptionMax, subscriptionLinger, statsSubscriptionTtl, statsReportInterval,
                statsFormat, prometheus, prometheusPrefix, shareAll, true, false, false, HistoryConfig.OFF);
    }

    /** This configuration with {@code wildcard_channels} set to {@code on}. */
    public HandlerConfig withWildcardChannels(boolean on) {
        return new HandlerConfig(pushInSpec, pushInSubSpecs, pushInSubConnect, pushInHttpAddr, pushInHttpPort,
                pushInHttpMaxHeadersSize, pushInHttpMaxBodySize, statsSpec, commandSpec, messageRate, messageHwm,
                messageBlockSize, messageWait, idCacheTtl, connectionSubscriptionMax, subscriptionLinger,
                statsSubscriptionTtl, statsReportInterval, statsFormat, prometheus, prometheusPrefix, shareAll,
                updateOnFirstSubscription, httpFilters, on, history);
    }
}
