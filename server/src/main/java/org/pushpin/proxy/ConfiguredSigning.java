package org.pushpin.proxy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pushpin.config.ConfigException;
import org.pushpin.config.PushpinConfig;
import org.pushpin.proxy.sig.GripSigVerifier;
import org.pushpin.proxy.sig.GripSigner;
import org.pushpin.proxy.sig.SigningKey;
import org.pushpin.proxy.sig.SigningKeyException;
import org.pushpin.routing.Route;

/**
 * {@link RequestSigning} from the config: the global {@code sig_iss}/{@code sig_key} pair, a route's own pair when
 * it gives both (built on first use and kept), and {@code upstream_key} for the trust check.
 */
final class ConfiguredSigning implements RequestSigning {
    private final GripSigner global;
    private final GripSigVerifier upstream;
    private final Path configDir;
    private final Map<String, GripSigner> perRoute = new ConcurrentHashMap<>();

    private ConfiguredSigning(GripSigner global, GripSigVerifier upstream, Path configDir) {
        this.global = global;
        this.upstream = upstream;
        this.configDir = configDir;
    }

    /** @throws ConfigException when a configured key cannot be read */
    static ConfiguredSigning create(PushpinConfig config) throws ConfigException {
        var proxy = config.proxy();
        Path dir = config.configDir();
        try {
            GripSigner global = isSet(proxy.sigIss()) && isSet(proxy.sigKey())
                    ? new GripSigner(proxy.sigIss(), SigningKey.parse(proxy.sigKey(), dir)) : null;
            GripSigVerifier upstream = isSet(proxy.upstreamKey())
                    ? new GripSigVerifier(SigningKey.parse(proxy.upstreamKey(), dir)) : null;
            return new ConfiguredSigning(global, upstream, dir);
        } catch (SigningKeyException | IllegalArgumentException e) {
            throw new ConfigException("[proxy] sig_key/upstream_key: " + e.getMessage(), e);
        }
    }

    private static boolean isSet(String s) {
        return s != null && !s.isEmpty();
    }

    @Override
    public String sign(Route route) {
        if (isSet(route.sigIss()) && isSet(route.sigKey())) {
            GripSigner signer = perRoute.computeIfAbsent(route.sigIss() + '\n' + route.sigKey(), k -> {
                try {
                    return new GripSigner(route.sigIss(), SigningKey.parse(route.sigKey(), configDir));
                } catch (SigningKeyException | IllegalArgumentException e) {
                    RequestLog.warn("route " + route.line() + ": unusable sig_key: " + e.getMessage());
                    return null;
                }
            });
            if (signer != null) {
                return signer.sign();
            }
        }
        return global == null ? null : global.sign();
    }

    @Override
    public boolean trusted(String clientGripSig) {
        return upstream != null && upstream.isValid(clientGripSig);
    }
}
