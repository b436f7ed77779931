package org.pushpin.grip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an origin's GRIP answer tells Pushpin to do, from its {@code Grip-*} headers and, for
 * {@code application/grip-instruct}, its JSON body. Built by {@link InstructParser}.
 *
 * @param holdMode      none, response (long-poll) or stream
 * @param channels      subscriptions: header channels first, then JSON ones; at most the subscription limit
 * @param timeout       response-hold timeout in seconds: default 55, at least 5
 * @param keepAlive     stream keep-alive, or null
 * @param nextLink      {@code Grip-Link rel=next}, or null
 * @param goneLink      {@code Grip-Link rel=gone} (Pushpin 1.41), resolved like the next link, or null: POSTed to
 *                      when the hold it starts ends
 * @param status        the {@code Grip-Status} override (already applied to {@code response}), or null
 * @param exposeHeaders {@code Grip-Expose-Headers} names (byte strings, already applied to {@code response}), or
 *                      null when absent; publishes use it too
 * @param meta          subscription meta ({@code Grip-Set-Meta}, then JSON {@code hold.meta}), in order
 * @param response      the response the client sees when nothing is held back
 * @param warnings      things dropped that Pushpin only logs (extra channels)
 */
public record Instruct(
        HoldMode holdMode,
        List<Channel> channels,
        int timeout,
        KeepAlive keepAlive,
        NextLink nextLink,
        java.net.URI goneLink,
        GripStatus status,
        List<String> exposeHeaders,
        Map<String, String> meta,
        ClientResponse response,
        List<String> warnings) {

    /** Response-hold timeout when none is given, seconds. */
    public static final int DEFAULT_TIMEOUT = 55;
    /** Smallest response-hold timeout; smaller values are raised to it. */
    public static final int MINIMUM_TIMEOUT = 5;
    /** Keep-alive timeout when none is given, seconds. */
    public static final int DEFAULT_KEEP_ALIVE_TIMEOUT = 55;
    /** Next-link timeout when none is given, seconds. */
    public static final int DEFAULT_NEXT_LINK_TIMEOUT = 120;

    public Instruct {
        Objects.requireNonNull(holdMode, "holdMode");
        Objects.requireNonNull(response, "response");
        channels = List.copyOf(channels);
        exposeHeaders = exposeHeaders == null ? null : List.copyOf(exposeHeaders);
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        warnings = List.copyOf(warnings);
    }
}
