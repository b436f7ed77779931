package org.pushpin.config;

/**
 * Timeouts and limits that protect the server from peers that stall or send too much, and from more held
 * connections than its heap can carry (docs/reliability.md). Pushpin 1.36 has only the origin one (zurl's 600 s);
 * the client one is ours, so a connection cannot tie up a slot by never finishing its request. 0 turns one off.
 *
 * @param clientRequestSeconds {@code [runner] client_request_timeout}: from a client connection's opening (or the
 *                             end of its previous response) until a complete request head has arrived (30)
 * @param originSeconds        {@code [proxy] origin_timeout}: how long a request waits for the origin's next bytes
 *                             once it asked for them (600, as 1.36)
 * @param shutdownGraceSeconds {@code [runner] shutdown_grace}: on SIGTERM, how long held and in-flight clients
 *                             have to leave after they were told to reconnect (10)
 * @param clientMaxHeaders     {@code [runner] client_max_headers}: request header fields allowed (64, condure's)
 * @param heapPressurePercent  {@code [runner] heap_pressure_percent}: the share of the maximum heap, live after a
 *                             garbage collection, from which new holds are refused with 503 until it is
 *                             {@link #HEAP_PRESSURE_HYSTERESIS} points lower again (90; 0 = never refuse)
 */
public record TimeoutsConfig(int clientRequestSeconds, int originSeconds, int shutdownGraceSeconds,
                             int clientMaxHeaders, int heapPressurePercent) {
    /** How many percentage points below {@code heap_pressure_percent} the heap must be for holds to be taken again. */
    public static final int HEAP_PRESSURE_HYSTERESIS = 10;
    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(30, 600, 10, 64, 90);
}
