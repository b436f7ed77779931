package org.pushpin.bench.soak;

/** How a one-shot request ended, as its client saw it. */
enum FaultOutcome {
    /** {@code 200} with the whole body. */
    OK("200"),
    /** {@code 502} with its whole body. */
    BAD_GATEWAY("502"),
    /** A response head, then the connection ended before the body did. */
    CUT("cut"),
    /** Another status. */
    OTHER_STATUS("other-status"),
    /** The connection ended without a response head. */
    NO_RESPONSE("no-response"),
    /** No end within the fault timeout. */
    HUNG("hung"),
    /** The connect failed. */
    CONNECT_FAILED("connect-failed");

    final String label;

    FaultOutcome(String label) {
        this.label = label;
    }
}
