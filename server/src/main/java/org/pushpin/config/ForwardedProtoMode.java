package org.pushpin.config;

/** {@code set_x_forwarded_protocol}: off, {@code true} (both headers) or {@code proto-only}. */
public enum ForwardedProtoMode {
    OFF,
    BOTH,
    PROTO_ONLY
}
