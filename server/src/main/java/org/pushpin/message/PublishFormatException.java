package org.pushpin.message;

/**
 * A publish request or item that Pushpin would reject. {@link #getMessage()} is the whole text Pushpin answers
 * (before its trailing newline), e.g. {@code Invalid format: no formats specified}; {@link #detail()} is the part
 * after {@code Invalid format: } (what Pushpin logs for a dropped ZeroMQ item), or null for the two messages that
 * have no detail ({@code Body is not valid JSON.}, {@code Invalid format.}).
 */
public final class PublishFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The prefix of every item-level message. */
    public static final String INVALID_FORMAT = "Invalid format: ";

    private final String detail;

    private PublishFormatException(String message, String detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    /** A whole message without detail. */
    static PublishFormatException of(String message) {
        return new PublishFormatException(message, null);
    }

    /** {@code Invalid format: <detail>}; the detail may be empty (Pushpin's unknown {@code action}). */
    static PublishFormatException invalid(String detail) {
        return new PublishFormatException(INVALID_FORMAT + detail, detail);
    }

    /** The text after {@code Invalid format: }, or null. */
    public String detail() {
        return detail;
    }
}
