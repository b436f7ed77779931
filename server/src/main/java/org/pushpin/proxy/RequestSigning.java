package org.pushpin.proxy;

import org.pushpin.routing.Route;

/** Grip-Sig on the way to the origin, and the trust check of a client's own Grip-Sig. */
public interface RequestSigning {
    /** The Grip-Sig value for a request on {@code route}, or null when no key is configured. */
    String sign(Route route);

    /** Whether the client's {@code Grip-Sig} makes it trusted ({@code upstream_key}). */
    boolean trusted(String clientGripSig);
}
