package org.pushpin.config;

/**
 * Timeouts and limits that protect the server from peers that stall or send too much (docs/reliability.md). Pushpin 1.36 has only the origin
 * one (zurl's 600 s); the client one is ours, so a connection cannot tie up a slot by never finishing its request.
 * 0 turns one off.
 *
 * @param clientRequestSeconds {@code [runner] client_request_timeout}: from a client connection's opening (or the
 *                             end of its previous response) until a complete request head has arrived (30)
 * @param originSeconds        {@code [proxy] origin_timeout}: how long a request waits for the origin's next bytes
 *                             once it asked for them (600, as 1.36)
 * @param shutdownGraceSeconds {@code [runner] shutdown_grace}: on SIGTERM, how long held and in-flight clients
 *                             have to leave after they were told to reconnect (10)
 * @param clientMaxHeaders     {@code [runner] client_max_headers}: request header fields allowed (64, condure's)
 */
public record TimeoutsConfig(int clientRequestSeconds, int originSeconds, int shutdownGraceSeconds,
                             int clientMaxHeaders) {
    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(30, 600, 10, 64);
}
