package org.pushpin.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.Mapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server certificates found as Pushpin finds them in {@code <config dir>/runner/certs}: {@code <host>.crt} and
 * {@code .key} for the SNI name, then {@code _.<parent domain>.crt} (wildcard), else {@code default_<port>.crt}.
 * Contexts are built on first use and kept; a missing certificate fails that handshake only.
 */
final class TlsCertificates implements Mapping<String, SslContext> {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);

    private final Path dir;
    private final int port;
    /** Offer HTTP/2 by ALPN ("h2" before "http/1.1"); a client without ALPN gets HTTP/1.1 as before. */
    private final boolean http2;
    private final ConcurrentHashMap<Path, Optional<SslContext>> contexts = new ConcurrentHashMap<>();

    TlsCertificates(Path dir, int port, boolean http2) {
        this.dir = dir;
        this.port = port;
        this.http2 = http2;
    }

    /** Whether a default certificate exists, so the listener can serve clients without SNI. */
    boolean hasDefault() {
        return Files.isRegularFile(dir.resolve("default_" + port + ".crt"));
    }

    @Override
    public SslContext map(String hostname) {
        if (hostname != null && !hostname.isEmpty()) {
            String host = hostname.toLowerCase(Locale.ROOT);
            SslContext ctx = load(host);
            if (ctx != null) {
                return ctx;
            }
            int dot = host.indexOf('.');
            if (dot > 0) {
                ctx = load("_" + host.substring(dot));
                if (ctx != null) {
                    return ctx;
                }
            }
        }
        return load("default_" + port);
    }

    private SslContext load(String name) {
        if (name.contains("/") || name.contains("..")) {
            return null;
        }
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
            return null;
        }
        return contexts.computeIfAbsent(crt, c -> {
            try {
                SslContextBuilder b = SslContextBuilder.forServer(crt.toFile(), key.toFile());
                if (http2) {
                    b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
                }
                return Optional.of(b.build());
            } catch (SSLException | IllegalArgumentException e) {
                LOG.error("cannot load certificate {}: {}", crt, e.getMessage());
                return Optional.empty();
            }
        }).orElse(null);
    }
}
