package org.pushpin.tnet;

/** Input that is not a well-formed tnetstring; the message says what and where (byte offset). */
public final class TnetStringException extends Exception {
    private final int offset;

    public TnetStringException(String what, int offset) {
        super(what + " at byte " + offset);
        this.offset = offset;
    }

    /** Where in the input the problem was found. */
    public int offset() {
        return offset;
    }
}
