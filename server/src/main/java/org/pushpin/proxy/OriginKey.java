package org.pushpin.proxy;

import java.util.Locale;
import org.pushpin.routing.ClientIdentity;
import org.pushpin.routing.Target;

/**
 * What makes two origin connections interchangeable for the keep-alive pool.
 *
 * @param tlsName          with {@code ssl}: the name the origin's certificate must match and that is sent as SNI,
 *                         which is the host the request names (its Host, or a next link's host), as 1.36's HTTP client
 *                         checks; null without {@code ssl}
 * @param trustConnectHost with {@code ssl}: {@code trust_connect_host}, a certificate for the connect host will do
 *                         too (SNI stays {@code tlsName}; see {@link #verifyName()})
 * @param identity         with {@code ssl}: the client certificate to show ({@code client_cert}), or null
 */
record OriginKey(String host, int port, boolean ssl, boolean insecure, String tlsName, boolean trustConnectHost,
                 ClientIdentity identity) {

    /** @param requestHost the host the request names, without port; null or empty: the connect host */
    static OriginKey of(Target target, String requestHost) {
        if (!target.ssl()) {
            return new OriginKey(target.host(), target.port(), false, target.insecure(), null, false, null);
        }
        String name = requestHost == null || requestHost.isEmpty() ? target.host()
                : requestHost.toLowerCase(Locale.ROOT);
        return new OriginKey(target.host(), target.port(), true, target.insecure(), name,
                target.trustConnectHost(), target.clientIdentity());
    }

    /**
     * The TLS engine's peer host. With {@code trust_connect_host} it is the connect host while SNI carries
     * {@code tlsName}: the JDK's endpoint check then accepts a certificate for either, as 1.36's client does (it
     * tries the SNI name first and falls back to the peer host).
     */
    String verifyName() {
        return trustConnectHost || tlsName == null ? host : tlsName;
    }
}
