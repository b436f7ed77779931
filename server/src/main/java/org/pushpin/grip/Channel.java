package org.pushpin.grip;

import java.util.List;
import java.util.Objects;

/**
 * One subscription asked for by the origin.
 *
 * @param name    channel name as the origin gave it (the route's channel prefix is not applied here); may be empty
 * @param prevId  the {@code prev-id}, or null when not given
 * @param filters filter names in order; unknown names are kept (the hold ignores them)
 */
public record Channel(String name, String prevId, List<String> filters) {
    public Channel {
        Objects.requireNonNull(name, "name");
        filters = List.copyOf(filters);
    }
}
