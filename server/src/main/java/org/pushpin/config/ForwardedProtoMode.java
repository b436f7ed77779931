package org.pushpin.config;

/** {@code set_x_forwarded_protocol}: off, {@code true} (both headers) or {@code proto-only}. */
public enum ForwardedProtoMode {
    OFF,
    BOTH,
    PROTO_ONLY;

    /** Pushpin compares the exact strings {@code true} and {@code proto-only}; everything else is off. */
    public static ForwardedProtoMode parse(String value) {
        return switch (value) {
            case "true" -> BOTH;
            case "proto-only" -> PROTO_ONLY;
            default -> OFF;
        };
    }
}
