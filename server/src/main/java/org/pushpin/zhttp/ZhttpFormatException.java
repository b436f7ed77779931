package org.pushpin.zhttp;

/**
 * A ZHTTP message that cannot be read: what is wrong with it, in words for a log line, and the session it was
 * for when that much could be read (so that session alone can be ended).
 */
public final class ZhttpFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final byte[] id;

    public ZhttpFormatException(String message) {
        this(message, null);
    }

    public ZhttpFormatException(String message, byte[] id) {
        super(message);
        this.id = id;
    }

    /** The id of the packet's (first) session, or null when it could not be read. */
    public byte[] id() {
        return id;
    }
}
