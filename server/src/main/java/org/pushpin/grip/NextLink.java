package org.pushpin.grip;

import java.net.URI;
import java.util.Objects;

/**
 * {@code Grip-Link: <URI>; rel=next}.
 *
 * @param uri     resolved against the client's request URI (RFC 3986), percent-encoded
 * @param timeout seconds before the link is fetched on a stream hold (default 120; 0 is kept as given)
 */
public record NextLink(URI uri, int timeout) {
    public NextLink {
        Objects.requireNonNull(uri, "uri");
    }
}
