package org.pushpin.zhttp;

/** The {@code type} field of a ZHTTP packet; {@link #DATA} is the packet without one. */
public enum ZhttpType {
    DATA(null),
    ERROR("error"),
    CREDIT("credit"),
    KEEP_ALIVE("keep-alive"),
    CANCEL("cancel"),
    HANDOFF_START("handoff-start"),
    HANDOFF_PROCEED("handoff-proceed"),
    CLOSE("close"),
    PING("ping"),
    PONG("pong");

    private final String wire;

    ZhttpType(String wire) {
        this.wire = wire;
    }

    /** The field's value, null for {@link #DATA}. */
    public String wire() {
        return wire;
    }

    /** The type named {@code value}, or null for an unknown name. */
    static ZhttpType of(String value) {
        for (ZhttpType t : values()) {
            if (value.equals(t.wire)) {
                return t;
            }
        }
        return null;
    }
}
