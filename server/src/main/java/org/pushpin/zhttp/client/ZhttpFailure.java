package org.pushpin.zhttp.client;

/** Why a ZHTTP request ended without a (complete) answer. */
public enum ZhttpFailure {
    /** Nothing came from the service for the session's lifetime (60 s, as Pushpin): nobody is there to answer. */
    UNREACHABLE,
    /** Stream mode: no service is connected to take the request (Pushpin answers at once, as here). */
    UNAVAILABLE,
    /** The service answered with an error or a cancel, or broke the protocol (bad packet, out of sequence). */
    PROTOCOL,
    /** The target's sockets could not be set up (a bad spec, a port in use). */
    SETUP
}
